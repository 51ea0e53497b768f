/** JSON values: everything that crosses a step boundary is stored, so it must be JSON. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
