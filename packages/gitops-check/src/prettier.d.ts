// Prettier 2 ships no types, and only these two calls are used.
declare module 'prettier' {
  export function format(
    source: string,
    options: Record<string, unknown> & { filepath: string },
  ): string;
  export const resolveConfig: {
    sync(file: string): Record<string, unknown> | null;
  };
}
