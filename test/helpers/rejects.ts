import { expect } from "chai";

/** Awaits `promise`, expects it to reject, and returns the error for precise assertions. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    expect(err).to.be.instanceOf(Error);
    return err as Error;
  }
  expect.fail("expected a rejection");
}
