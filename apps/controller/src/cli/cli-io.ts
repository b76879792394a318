/** What a CLI run reads and writes; tests pass their own. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: NodeJS.WriteStream | { write(text: string): unknown; isTTY?: boolean };
  readonly readStdin: () => string;
  readonly env: NodeJS.ProcessEnv;
}
