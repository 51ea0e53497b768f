import { z } from 'zod';

/** A run variable's name, readable later as `{{ vars.name }}`. */
export const VarName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'use letters, digits and _ (not starting with a digit)');
