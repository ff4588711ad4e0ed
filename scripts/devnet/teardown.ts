/**
 * What the devnet started, to be stopped in reverse order: nodes before the auditors, auditors
 * before the L1 they read. Every step runs even if an earlier one fails; failures are reported.
 */
export class Teardown {
  private readonly steps: { name: string; run: () => Promise<void> }[] = [];
  private readonly interruptHooks: (() => void)[] = [];

  /** Called at once on Ctrl-C, before anything is stopped (child processes got the signal too). */
  onInterrupt(hook: () => void): void {
    this.interruptHooks.push(hook);
  }

  interrupted(): void {
    for (const hook of this.interruptHooks) hook();
  }

  add(name: string, run: () => Promise<void>): void {
    this.steps.push({ name, run });
  }

  async run(onFailure: (name: string, err: unknown) => void): Promise<void> {
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await step.run();
      } catch (err) {
        onFailure(step.name, err);
      }
    }
  }
}
