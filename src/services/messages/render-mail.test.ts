import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderMail } from './render-mail.js';
import { builtInTemplate } from './templates.js';

describe('renderMail', () => {
  it('fills the built-in template into subject, text and HTML', () => {
    const mail = renderMail(builtInTemplate('recovery'), { user: 'Ada', project: 'Shop', url: 'https://x.example/r?secret=a&b=1' });
    assert.equal(mail.subject, 'Password Reset for Shop');
    assert.match(mail.text, /^Hi Ada,$/m);
    assert.match(mail.text, /https:\/\/x\.example\/r\?secret=a&b=1/);
    assert.match(mail.html, /<a href="https:\/\/x\.example\/r\?secret=a&amp;b=1">/);
  });

  it('escapes values in HTML, links only web addresses and empties unknown placeholders', () => {
    const mail = renderMail(
      { subject: 'Hi {{user}}\r\nBcc: x@example.com', message: 'A {{user}}\n\n{{url}} {{missing}}' },
      { user: '<script>"x"</script>', url: 'javascript:alert(1)' },
    );
    assert.equal(mail.subject, 'Hi <script>"x"</script> Bcc: x@example.com');
    assert.match(mail.html, /<p>A &lt;script&gt;&quot;x&quot;&lt;\/script&gt;<\/p>/);
    assert.match(mail.html, /<p>javascript:alert\(1\)<\/p>/);
    assert.ok(!mail.html.includes('<a '));
    assert.ok(!mail.text.includes('{{'));
  });

  it('falls back to English for a locale without templates', () => {
    assert.deepEqual(builtInTemplate('otpSession', 'de-CH'), builtInTemplate('otpSession', 'en'));
  });
});
