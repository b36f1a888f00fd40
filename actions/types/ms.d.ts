// Typings of the `ms` npm package (https://github.com/vercel/ms, v2), which ships none; used by the
// password-age-claim sample Action to show an npm import in an Action.
declare module 'ms' {
  /** Milliseconds for a duration like `90d` or `15m`; undefined when the text is not a duration. */
  function ms(value: string): number | undefined;
  function ms(value: number, options?: { long?: boolean }): string;
  export = ms;
}
