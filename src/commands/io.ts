// What a command gets to talk to the user: two streams. Tests pass their own.

export interface CommandIO {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

export type Command = (args: string[], io: CommandIO) => Promise<number>;
