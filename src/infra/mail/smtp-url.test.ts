import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMailAddress } from './mail-address.js';
import { parseSmtpUrl } from './smtp-url.js';

describe('parseSmtpUrl', () => {
  it('reads smtp:// with STARTTLS when offered, and smtps:// with TLS at once', () => {
    assert.deepEqual(parseSmtpUrl('smtp://user%40x:p%3Ass@mail.example.com'), {
      host: 'mail.example.com', port: 587, username: 'user@x', password: 'p:ss', secure: 'auto',
    });
    assert.deepEqual(parseSmtpUrl('smtps://mail.example.com:2465'), {
      host: 'mail.example.com', port: 2465, username: '', password: '', secure: 'ssl',
    });
  });

  it('refuses other schemes without echoing the URL', () => {
    assert.throws(() => parseSmtpUrl('http://u:secret@host'), (error: Error) => !error.message.includes('secret'));
    assert.throws(() => parseSmtpUrl('not a url'));
  });
});

describe('parseMailAddress', () => {
  it('reads named, quoted and bare addresses', () => {
    assert.deepEqual(parseMailAddress('Plinth <noreply@localhost>'), { name: 'Plinth', address: 'noreply@localhost' });
    assert.deepEqual(parseMailAddress('"Shop, Inc" <a@b.example>'), { name: 'Shop, Inc', address: 'a@b.example' });
    assert.deepEqual(parseMailAddress(' a@b.example '), { name: '', address: 'a@b.example' });
    assert.equal(parseMailAddress('nobody'), undefined);
  });
});
