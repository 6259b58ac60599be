export function Denied({ message }: { message: string }) {
  return (
    <div className="notice notice-denied" role="status">
      <strong>Not allowed.</strong> {message}
    </div>
  );
}
