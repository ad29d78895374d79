import { Transform } from 'class-transformer';

/** Trims strings and leaves anything else as sent, so the type check still sees it. */
export const Trim = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/** Query strings carry text: accept exactly `true` / `false`, leave anything else to fail validation. */
export const ToBoolean = () =>
  Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  );

/** Query strings carry text: accept only plain decimal integers (no `1e3`, `0x10`, ` 5`). */
export const ToInteger = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^-?\d{1,9}$/.test(value) ? Number(value) : value,
  );
