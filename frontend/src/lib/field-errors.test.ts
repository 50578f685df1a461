import { describe, expect, it } from 'vitest';

import { ApiError } from './api-client';
import { fieldProblems, fieldsNamed, readableFieldMessage } from './field-errors';

describe('readableFieldMessage', () => {
  it.each([
    ['String should have at most 200 characters', 'At most 200 characters'],
    ['name: at most 200 characters', 'At most 200 characters'],
    ['String should have at least 1 character', 'Required'],
    ['String should have at least 8 characters', 'At least 8 characters'],
    ['Field required', 'Required'],
    ['Input should be greater than or equal to 5', 'At least 5'],
    ['Input should be less than or equal to 3600', 'At most 3600'],
    ['Decimal input should have no more than 2 decimal places', 'At most 2 decimals'],
    ['Input should be a valid integer, unable to parse string as an integer', 'A whole number'],
    ["String should match pattern '^[A-Za-z]{3}$'", 'Not in the expected form'],
    ['Value error, must not contain control characters', 'Must not contain control characters'],
    ["Category 'VIP' is sold out", "Category 'VIP' is sold out"],
  ])('%s -> %s', (msg, readable) => {
    expect(readableFieldMessage(msg, 'name')).toBe(readable);
  });
});

describe('fieldProblems', () => {
  it("gives each entry of the error's detail its path into the body", () => {
    const error = new ApiError('VALIDATION_ERROR', 'The request is not valid', 422, [
      { loc: ['body', 'name'], msg: 'String should have at most 200 characters', type: 'string_too_long' },
      { loc: ['body', 'categories', 1, 'price'], msg: 'Input should be greater than or equal to 0', type: 'greater_than_equal' },
      { loc: ['body'], msg: 'Value error, give either one', type: 'value_error' },
      'not an entry',
    ]);
    expect(fieldProblems(error)).toEqual([
      { path: 'name', message: 'At most 200 characters' },
      { path: 'categories.1.price', message: 'At least 0' },
      { path: '', message: 'Give either one' },
    ]);
  });

  it('finds none in an error without detail', () => {
    expect(fieldProblems(new ApiError('SOLD_OUT', 'Sold out', 400))).toEqual([]);
    expect(fieldProblems(null)).toEqual([]);
  });
});

describe('fieldsNamed', () => {
  it("maps the API's names to the form's", () => {
    const formKeyOf = fieldsNamed(['password'], { username: 'email' });
    expect([formKeyOf('username'), formKeyOf('password'), formKeyOf('grant_type')]).toEqual(['email', 'password', undefined]);
  });
});
