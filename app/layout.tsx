import "@xyflow/react/dist/style.css";
import "./globals.css";
import type { Metadata } from "next";
import type { ReactNode } from "react";
import { TargetHeader, type TargetView } from "@/components/target-header";
import { describeTarget } from "@/lib/aws";

export const metadata: Metadata = {
  title: "rolechain",
  description: "Chain AWS IAM roles and watch every hop live",
};

// The header reads the live target on every request.
export const dynamic = "force-dynamic";

async function loadTarget(): Promise<{ target: TargetView | null; problem?: string }> {
  try {
    return { target: await describeTarget() };
  } catch (error) {
    // The page still renders so the person can read why; the cause goes to the server log.
    console.error("target unavailable", error);
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : String(error);
    return { target: null, problem: typeof code === "string" ? `${code}: ${message}` : message };
  }
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const { target, problem } = await loadTarget();
  return (
    <html lang="en">
      <body>
        <TargetHeader target={target} problem={problem} />
        <main>{children}</main>
      </body>
    </html>
  );
}
