/** The lead byte of a step's end marker (ASCII record separator): ordinary output rarely holds it. */
const LEAD = "\u001e";

/**
 * Splits one output stream of a step loop (SESSION_LOOP) into what the step wrote and its end
 * marker, `\x1e<nonce>:<status>.`, which the stub writes once the step's processes are gone. A
 * chunk may end inside the marker: what could be its start is held back until the next chunk.
 */
export class StepEndScanner {
  private held = "";
  private readonly marker: string;

  constructor(nonce: string) {
    this.marker = `${LEAD}${nonce}:`;
  }

  /** The step's own text in this chunk, and its exit status once the whole marker has arrived. */
  push(chunk: string): { text: string; status?: number } {
    const data = this.held + chunk;
    this.held = "";
    const at = data.indexOf(this.marker);
    if (at >= 0) {
      const rest = data.slice(at + this.marker.length);
      const ended = /^(\d{1,3})\./.exec(rest);
      if (ended) return { text: data.slice(0, at), status: Number(ended[1]) };
      if (/^\d{0,3}$/.test(rest)) {
        this.held = data.slice(at);
        return { text: data.slice(0, at) };
      }
      return { text: data };
    }
    const lead = data.lastIndexOf(LEAD);
    if (lead >= 0 && this.marker.startsWith(data.slice(lead))) {
      this.held = data.slice(lead);
      return { text: data.slice(0, lead) };
    }
    return { text: data };
  }
}
