import Link from "next/link";

/** What the page shows about the target; never a secret. Mirrors `describeTarget()`. */
export interface TargetView {
  kind: "sandbox" | "endpoint" | "aws";
  accountId: string;
  callerArn: string;
  endpoint?: string;
  region: string;
}

const KIND_LABELS: Record<TargetView["kind"], string> = {
  sandbox: "sandbox (embedded)",
  endpoint: "endpoint",
  aws: "AWS",
};

export interface TargetHeaderProps {
  target: TargetView | null;
  /** Why the target could not be described, for a person. */
  problem?: string;
}

/** The always-visible header: which target every call goes to, as which account and caller. */
export function TargetHeader({ target, problem }: TargetHeaderProps) {
  return (
    <header className="app-header">
      <Link href="/" className="brand">
        rolechain
      </Link>
      {target ? (
        <dl aria-label="Target">
          <div>
            <dt>Target</dt>
            <dd data-testid="target-kind">{KIND_LABELS[target.kind]}</dd>
          </div>
          <div>
            <dt>Account</dt>
            <dd className="mono">{target.accountId}</dd>
          </div>
          <div>
            <dt>Caller</dt>
            <dd className="mono">{target.callerArn}</dd>
          </div>
          <div>
            <dt>Endpoint</dt>
            <dd className="mono">{target.endpoint ?? "AWS default"}</dd>
          </div>
          <div>
            <dt>Region</dt>
            <dd className="mono">{target.region}</dd>
          </div>
        </dl>
      ) : (
        <p className="target-error" role="alert">
          Target unavailable: {problem ?? "unknown reason"}
        </p>
      )}
    </header>
  );
}
