import { IsString, validate } from 'class-validator';
import { CURSOR, TOKEN_NAME } from './patterns.js';
import { MatchesWithin } from './validation.js';

describe('TOKEN_NAME', () => {
  it.each(['nightly export', 'a', ' leading blank', 'trailing blank ', 'café ✓', 'a\u00a0b'])(
    'takes %p',
    (name) => expect(TOKEN_NAME.test(name)).toBe(true),
  );

  it.each([
    ['empty', ''],
    ['blanks', '   '],
    ['a no-break space alone', '\u00a0'],
    ['ESC, a control that is no whitespace', '\u001b'],
    ['NEL, a C1 control', 'name\u0085'],
    ['DEL', 'del\u007f'],
    ['a newline', 'line\nbreak'],
    ['a tab', '\tname'],
  ])('refuses %s', (_what, name) => expect(TOKEN_NAME.test(name)).toBe(false));
});

const CURSOR_LIKE = `abc.${'A'.repeat(22)}`; // 26 characters

class Probe {
  @IsString()
  @MatchesWithin(CURSOR, 30, 'refused')
  value!: string;
}

class ShortProbe {
  @MatchesWithin(CURSOR, 20, 'refused')
  value!: string;
}

describe('MatchesWithin', () => {
  const errorsFor = async (value: unknown, probe: object = new Probe()) =>
    (await validate(Object.assign(probe, { value }))).flatMap((error) =>
      Object.keys(error.constraints ?? {}),
    );

  it('takes a matching value within the length, and only that', async () => {
    expect(await errorsFor(CURSOR_LIKE)).toEqual([]);
    expect(await errorsFor(CURSOR_LIKE.slice(0, -1))).toEqual(['matchesWithin']);
    expect(await errorsFor(CURSOR_LIKE, new ShortProbe())).toEqual(['matchesWithin']);
  });

  it('never runs the pattern on an over-long value', async () => {
    const tested: string[] = [];
    const pattern = { test: (value: string) => (tested.push(value), true) } as unknown as RegExp;
    class Guarded {
      @MatchesWithin(pattern, 5, 'refused')
      value!: string;
    }
    const errors = await validate(Object.assign(new Guarded(), { value: 'x'.repeat(60_000) }));
    expect(errors.map((error) => error.constraints)).toEqual([{ matchesWithin: 'refused' }]);
    expect(tested).toEqual([]);
    expect(await validate(Object.assign(new Guarded(), { value: 'short' }))).toEqual([]);
    expect(tested).toEqual(['short']);
  });

  it('refuses what is no string', async () => {
    expect((await errorsFor(42)).sort()).toEqual(['isString', 'matchesWithin']);
  });
});
