// An anticipated refusal of `npm run releases` / `npm run rollback`: one message, no stack trace, and the exit code
// (1: cannot be done here; 2: the command line names something that does not exist).
export class ReleaseError extends Error {
  override name = 'ReleaseError';
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}
