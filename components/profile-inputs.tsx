"use client";

import { type ChangeEvent, useEffect, useRef, useState, useTransition } from "react";
import { generateSnippet, inspectProfiles } from "@/app/actions";
import type { ProfileGraph as ProfileGraphModel } from "@/lib/profiles/types";
import { TextareaField } from "./chain-options";
import { Field, type FieldError } from "./field";
import { ProfileGraph } from "./profile-graph";

/** The profile graph is rebuilt this long after the last keystroke. */
const INSPECT_DELAY_MS = 600;

/**
 * Profiles mode: the two AWS files (typed, pasted or loaded from disk), the profile to resolve,
 * the profile graph, and a generated config snippet for the managed roles. The files live only
 * in the text areas; they go to the server inside the form's actions and are never kept in
 * React state or sent back.
 */
export function ProfileInputs({ error }: { error: FieldError | null }) {
  const configRef = useRef<HTMLTextAreaElement>(null);
  const credentialsRef = useRef<HTMLTextAreaElement>(null);
  const profileRef = useRef<HTMLInputElement>(null);
  const baseProfileRef = useRef<HTMLInputElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [graph, setGraph] = useState<ProfileGraphModel | null>(null);
  const [snippet, setSnippet] = useState<string | null>(null);
  const [snippetError, setSnippetError] = useState<FieldError | null>(null);
  const [, startTransition] = useTransition();

  const inspectNow = () => {
    const data = new FormData();
    data.set("config", configRef.current?.value ?? "");
    data.set("credentials", credentialsRef.current?.value ?? "");
    startTransition(async () => setGraph(await inspectProfiles(data)));
  };
  const inspectSoon = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(inspectNow, INSPECT_DELAY_MS);
  };
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const onGenerate = () => {
    const data = new FormData();
    data.set("baseProfile", baseProfileRef.current?.value ?? "");
    setSnippetError(null);
    startTransition(async () => {
      const result = await generateSnippet(data);
      if ("error" in result) {
        setSnippetError(result.error);
        return;
      }
      setSnippet(result.snippet);
      if (profileRef.current && !profileRef.current.value) {
        profileRef.current.value = result.lastProfile;
      }
    });
  };

  const appendSnippet = () => {
    if (!snippet || !configRef.current) return;
    const current = configRef.current.value.trimEnd();
    configRef.current.value = current ? `${current}\n\n${snippet}` : snippet;
    inspectNow();
  };

  return (
    <fieldset className="options" style={{ border: "1px solid var(--line)" }}>
      <legend>Profiles</legend>
      <TextareaField
        label="AWS config"
        id="chain-config"
        name="config"
        error={error}
        rows={7}
        textareaRef={configRef}
        onChange={inspectSoon}
        placeholder={
          "[profile target]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = base"
        }
      />
      <FilePicker label="Load config file" refTarget={configRef} onLoaded={inspectNow} />
      <TextareaField
        label="AWS credentials"
        id="chain-credentials"
        name="credentials"
        error={error}
        rows={4}
        textareaRef={credentialsRef}
        onChange={inspectSoon}
        placeholder={"[base]\naws_access_key_id = AKIA…\naws_secret_access_key = …"}
        help="Used only by the server for this run; never shown again, stored or logged."
      />
      <FilePicker label="Load credentials file" refTarget={credentialsRef} onLoaded={inspectNow} />
      <Field label="Profile" id="chain-profile" name="profile" ref={profileRef} error={error} />
      {graph && <ProfileGraph graph={graph} />}
      <div className="field" style={{ marginTop: 10 }}>
        <label htmlFor="snippet-base">Base profile</label>
        <div className="row">
          <input
            id="snippet-base"
            ref={baseProfileRef}
            defaultValue="base"
            aria-invalid={snippetError ? true : undefined}
            aria-describedby={snippetError ? "snippet-base-error" : undefined}
          />
          <button type="button" className="secondary" onClick={onGenerate}>
            Generate config snippet
          </button>
        </div>
        {snippetError && (
          <span id="snippet-base-error" className="error" role="alert">
            {snippetError.message}
          </span>
        )}
      </div>
      {snippet && (
        <div>
          <div className="field">
            <label htmlFor="generated-snippet">Generated config snippet</label>
            <textarea id="generated-snippet" readOnly value={snippet} rows={8} />
          </div>
          <div className="row">
            <button type="button" className="secondary" onClick={appendSnippet}>
              Add snippet to AWS config
            </button>
            <a
              className="button secondary"
              download="rolechain-config"
              href={`data:text/plain;charset=utf-8,${encodeURIComponent(snippet)}`}
            >
              Download snippet
            </a>
          </div>
        </div>
      )}
    </fieldset>
  );
}

interface FilePickerProps {
  label: string;
  refTarget: React.RefObject<HTMLTextAreaElement | null>;
  onLoaded: () => void;
}

/** A file input that fills a text area; the file is read in the browser, not uploaded. */
function FilePicker({ label, refTarget, onLoaded }: FilePickerProps) {
  const onChange = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    const target = refTarget.current;
    if (!file || !target) return;
    target.value = await file.text();
    event.target.value = "";
    onLoaded();
  };
  return (
    <label className="help" style={{ display: "block", marginBottom: 10 }}>
      {label}: <input type="file" onChange={onChange} />
    </label>
  );
}
