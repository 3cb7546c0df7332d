/**
 * @module ingest/edit-run
 * What every line-placed edit writer (Bicep, Terraform) does around its own edits: apply each request of a run
 * in turn, a refused one leaving nothing behind. Apart from ingest/edits, which lists the writers, so that the
 * writers can use it without an import cycle.
 */
import type { EditOutcome, EditRequest, TextEdit } from "./edits.js";

/** A change a writer cannot write safely; its message is the one line the user sees. */
export class EditRefusal extends Error {}

/**
 * The outcome of applying each request in turn with `apply` (the edits of one change, or an EditRefusal): a
 * refused change leaves nothing behind, and one whose edits touch the text another change of the run edits is
 * refused (fix-plan merges the changes of one target, so they never need to).
 */
export function editEach(requests: EditRequest[], apply: (request: EditRequest) => TextEdit[]): EditOutcome {
  const edits: TextEdit[] = [];
  const refused: EditOutcome["refused"] = [];
  const overlapping = (a: TextEdit, b: TextEdit) =>
    a.offset < b.offset + b.length && b.offset < a.offset + a.length && (a.length > 0 || b.length > 0);
  requests.forEach((request, index) => {
    try {
      const mine = apply(request);
      if (mine.some((e) => edits.some((o) => overlapping(e, o))))
        throw new EditRefusal("another change of this run edits the same lines");
      edits.push(...mine);
    } catch (error) {
      if (!(error instanceof EditRefusal)) throw error;
      refused.push({ index, reason: error.message });
    }
  });
  return { edits, refused };
}

/** Every request refused for one reason (a file the writer cannot read). */
export function refuseAll(requests: EditRequest[], reason: string): EditOutcome {
  return { edits: [], refused: requests.map((_, index) => ({ index, reason })) };
}
