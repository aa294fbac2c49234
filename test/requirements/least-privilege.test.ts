import { leastPrivilege } from '../../src/requirements/least-privilege';

describe('leastPrivilege', () => {
  it.each([
    ['no choice', ['a.read'], [], ['a.read'], []],
    ['a choice a required scope already meets', ['a.read'], [['a.read', 'b.read']], ['a.read'], []],
    ['one choice: the alphabetically first', [], [['b.read', 'a.read']], ['a.read'], [{ anyOf: ['a.read', 'b.read'], picked: 'a.read' }]],
    [
      'two choices one scope meets: that scope rather than two',
      [],
      [['a.read', 'shared.read'], ['b.read', 'shared.read']],
      ['shared.read'],
      [{ anyOf: ['a.read', 'shared.read'], picked: 'shared.read' }, { anyOf: ['b.read', 'shared.read'], picked: 'shared.read' }],
    ],
    [
      'choices that need two scopes',
      ['x.read'],
      [['a.read', 'b.read'], ['c.read', 'd.read']],
      ['a.read', 'c.read', 'x.read'],
      [{ anyOf: ['a.read', 'b.read'], picked: 'a.read' }, { anyOf: ['c.read', 'd.read'], picked: 'c.read' }],
    ],
  ])('%s', (_label, required, anyOf, scopes, choices) => {
    expect(leastPrivilege(required, anyOf)).toEqual({ scopes, choices });
  });

  it('settles many choices greedily, still meeting every one', () => {
    const anyOf = Array.from({ length: 20 }, (_, n) => [`r${n}.read`, `s${n % 3}.read`]);
    const { scopes } = leastPrivilege([], anyOf);
    expect(anyOf.every((choice) => choice.some((scope) => scopes.includes(scope)))).toBe(true);
    expect(scopes).toEqual(['s0.read', 's1.read', 's2.read']);
  });
});
