/** Something the user typed or configured is wrong: exit 2 with one line that says what to do. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
