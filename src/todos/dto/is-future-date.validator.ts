import { ValidateBy, type ValidationOptions } from 'class-validator';

/** A date string that parses and lies in the future (a reminder in the past can never fire). */
export const IsFutureDate = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isFutureDate',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && Date.parse(value) > Date.now(),
        defaultMessage: (args) => `${args?.property ?? 'value'} must be a time in the future`,
      },
    },
    options,
  );
