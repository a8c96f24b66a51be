"""The aws CLI's own botocore as an oracle for lib/profiles' parity test.

Reads JSON cases on stdin and prints one JSON outcome per case. Makes no network call: it
only parses files and builds (deferred) assume-role credentials, which never call STS until
used. The caller passes a scratch directory; the environment is replaced, not inherited.
"""
import json
import os
import sys

CLI_PACKAGES = "/usr/lib/python3/dist-packages"


def main():
    scratch = sys.argv[1]
    for name in list(os.environ):
        del os.environ[name]
    os.environ.update({
        "AWS_EC2_METADATA_DISABLED": "true",
        "HOME": scratch,
        "AWS_CONFIG_FILE": os.path.join(scratch, "config"),
        "AWS_SHARED_CREDENTIALS_FILE": os.path.join(scratch, "credentials"),
        # For credential_source = Environment; made up, never sent anywhere.
        "AWS_ACCESS_KEY_ID": "AKIAENVIRONMENT00000",
        "AWS_SECRET_ACCESS_KEY": "made-up-environment-secret",
    })
    sys.path.insert(0, CLI_PACKAGES)
    from awscli.botocore import configloader

    outcomes = []
    for case in json.load(sys.stdin):
        write(scratch, "config", case.get("config", ""))
        write(scratch, "credentials", case.get("credentials", ""))
        if case["kind"] == "parse":
            outcomes.append(parse(configloader, os.environ["AWS_CONFIG_FILE"]))
        else:
            files = (case.get("config", ""), case.get("credentials", ""))
            outcomes.append(resolve(case["profile"], files))
    json.dump(outcomes, sys.stdout)


def write(scratch, name, text):
    with open(os.path.join(scratch, name), "w", newline="") as handle:
        handle.write(text)


def parse(configloader, path):
    try:
        loaded = configloader.load_config(path)
    except Exception as error:  # the CLI turns every parser error into ConfigParseError
        cause = type(error.__context__).__name__ if error.__context__ else ""
        return {"ok": False, "duplicate": cause.startswith("Duplicate")}
    return {"ok": True, "profiles": loaded["profiles"], "ssoSessions": loaded["sso_sessions"]}


_sessions = {}


def resolve(profile, files):
    from awscli.botocore import credentials, session

    # One session per pair of files: building a session is most of the cost, and botocore reads
    # the files once per session.
    current = _sessions.get(files)
    if current is None:
        _sessions.clear()
        current = _sessions[files] = session.Session()
    current.set_config_variable("profile", profile)
    try:
        if profile not in current.full_config["profiles"]:
            return {"error": "ProfileNotFound"}
        resolver = credentials.create_credential_resolver(current)
        loaded = resolver.get_provider("assume-role").load()
        if loaded is None:
            return {"error": "NotAssumeRole"}
        roles = []
        while getattr(loaded, "_refresh_using", None) is not None:
            fetcher = loaded._refresh_using.__self__
            roles.append(fetcher._role_arn)
            loaded = fetcher._source_credentials
        return {"roles": roles[::-1], "baseAccessKeyId": loaded.access_key}
    except Exception as error:
        return {"error": type(error).__name__}


if __name__ == "__main__":
    main()
