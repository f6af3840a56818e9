import assert from 'node:assert/strict';
import { it } from 'node:test';
import { functionHostLabels } from './function-host-labels.js';

/** Every id of up to `length` characters from `chars` that starts with a letter or digit, as ids do. */
function idsOf(chars: string, length: number): string[] {
  let ids = [...chars].filter((c) => /[a-z0-9]/i.test(c));
  const all = [...ids];
  for (let size = 2; size <= length; size++) {
    ids = ids.flatMap((id) => [...chars].map((c) => id + c));
    all.push(...ids);
  }
  return all;
}

it('gives the bare id and `<id>--<project>`, lower case', () => {
  assert.deepEqual(functionHostLabels('Billing', 'Shop-1'), { bare: 'billing', long: 'billing--shop-1' });
});

it('no bare name is another function\'s long form, and no two long forms meet', () => {
  const ids = idsOf('ab-', 5);
  const owners = new Map<string, string>();
  for (const fn of ids) {
    for (const project of ids) {
      const { bare, long } = functionHostLabels(fn, project);
      if (bare !== undefined) assert.ok(!bare.includes('--'), bare);
      if (long === undefined) continue;
      const owner = `${fn} in ${project}`;
      assert.equal(owners.get(long) ?? owner, owner, `${long} would name two functions`);
      owners.set(long, owner);
    }
  }
  for (const fn of ids) {
    const { bare } = functionHostLabels(fn, 'p');
    if (bare !== undefined) assert.ok(!owners.has(bare), `the bare name ${bare} is a long form too`);
  }
});

it('the squatter\'s function `billing-p1` cannot take project p1\'s `billing` host', () => {
  assert.equal(functionHostLabels('billing-p1', 'other').bare, 'billing-p1');
  assert.equal(functionHostLabels('billing', 'p1').long, 'billing--p1');
  assert.equal(functionHostLabels('billing--p1', 'other').bare, undefined);
});

it('ids that cannot be one host label get no name of that form', () => {
  assert.deepEqual(functionHostLabels('a.b', 'p'), {});
  assert.deepEqual(functionHostLabels('fn', 'my.project'), { bare: 'fn' });
  assert.deepEqual(functionHostLabels('fn', 'shop--eu'), { bare: 'fn' });
  assert.deepEqual(functionHostLabels('xn', 'p'), { bare: 'xn' });
  assert.equal(functionHostLabels('f'.repeat(36), 'p'.repeat(36)).long, undefined, 'longer than a DNS label');
});
