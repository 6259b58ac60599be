/** File-managed runbooks change in git, never in the UI: the next sync would overwrite an edit made here. */
export function FileManagedNote({ sourcePath }: { sourcePath: string | null }) {
  return (
    <p className="notice" data-testid="file-managed">
      Managed by {sourcePath ? <>the file <code className="mono">{sourcePath}</code></> : "a file in the runbooks directory"} — change it in git and run{" "}
      <code className="mono">handrail runbooks sync</code>;
      read-only here.
    </p>
  );
}
