"""The ``popliteal`` command line: thin, it parses, calls the packages, and prints.

Errors a user can make (unknown finding id, impossible age, malformed file) end with a clear
message on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from collections.abc import MutableMapping
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

from popliteal import __version__

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Popliteal: back-of-knee pain assessment, triage and care plans.")
kb_app = typer.Typer(no_args_is_help=True, help="Read and check the knowledge base.")
app.add_typer(kb_app, name="kb")

out = Console()
err = Console(stderr=True)


def fail(message: str, code: int = 2) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}", highlight=False, markup=True, soft_wrap=True)
    raise typer.Exit(code)


def emit_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")


def _knowledge():  # type: ignore[no-untyped-def]
    from popliteal.knowledge import KnowledgeError, get_knowledge_base

    try:
        return get_knowledge_base()
    except KnowledgeError as exc:
        fail(str(exc))


def parse_answer_options(answers_file: Path | None, answer: list[str]) -> dict[str, Any]:
    """Merge --answers FILE.json and repeated --answer id=value (the latter win)."""
    merged: dict[str, Any] = {}
    if answers_file is not None:
        try:
            data = json.loads(answers_file.read_text(encoding="utf-8"))
        except OSError as exc:
            fail(f"--answers {answers_file}: cannot read: {exc.strerror}")
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            fail(f"--answers {answers_file}: not valid JSON: {exc}")
        if not isinstance(data, dict):
            fail(f"--answers {answers_file}: expected a JSON object of finding id to answer")
        merged.update(data)
    for item in answer:
        if "=" not in item:
            fail(f"--answer {item!r}: expected id=value, e.g. --answer fever=no")
        key, value = item.split("=", 1)
        merged[key.strip()] = value.strip()
    return merged


@app.command()
def assess(
    age: Annotated[int, typer.Option(help="Age in years (0-120).")],
    sex: Annotated[str, typer.Option(help="female or male.")],
    text: Annotated[str | None, typer.Option(help="The problem in the patient's words.")] = None,
    answers_file: Annotated[Path | None, typer.Option(
        "--answers", help="JSON file: finding id to answer.")] = None,
    answer: Annotated[list[str], typer.Option(
        "--answer", help="id=value, repeatable; overrides the text.")] = [],  # noqa: B006
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (spec shape).")] = False,
    summary: Annotated[bool, typer.Option(
        "--summary", help="Print the one-page physiotherapist summary (Markdown).")] = False,
) -> None:
    """Rank the likely causes and triage one patient."""
    from popliteal.assessment import AssessmentInputError
    from popliteal.assessment import assess as run
    from popliteal.engine import AnswerError
    from popliteal.knowledge import UnknownFindingError

    kb = _knowledge()
    answers = parse_answer_options(answers_file, answer)
    if text is None and not answers:
        fail("give the problem as --text \"...\" and/or answers "
             "(--answer id=value, --answers FILE)")
    try:
        result = run(age, sex, text=text, answers=answers, kb=kb)
    except (AssessmentInputError, AnswerError, UnknownFindingError) as exc:
        fail(str(exc))
    if as_json:
        emit_json(result.model_dump(mode="json"))
    elif summary:
        sys.stdout.write(_physio_summary(result))
    else:
        from popliteal.render import render_assessment

        render_assessment(out, result)


def _physio_summary(result: Any) -> str:
    from popliteal.care import CarePlan, render_plan_text
    from popliteal.clinics import physio_summary_markdown

    plan = render_plan_text(CarePlan.model_validate(result.care_plan)) if result.care_plan else None
    return physio_summary_markdown(result, plan)


@app.command()
def plan(
    result_file: Annotated[str, typer.Option(
        "--result", help="An `assess --json` result file, or - for standard input.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
) -> None:
    """Print the care plan of a saved assessment result."""
    from pydantic import ValidationError

    from popliteal.care import CarePlan, render_plan_text
    from popliteal.results import AssessmentResult

    try:
        raw = sys.stdin.read() if result_file == "-" else Path(result_file).read_text("utf-8")
        result = AssessmentResult.model_validate_json(raw)
    except OSError as exc:
        fail(f"--result {result_file}: cannot read: {exc.strerror}")
    except ValidationError as exc:
        err0 = exc.errors()[0]
        where = ".".join(str(p) for p in err0["loc"]) or "(document)"
        fail(f"--result {result_file}: not an assessment result: {where}: {err0['msg']}")
    if result.care_plan is None:
        fail(f"--result {result_file}: the result has no care plan")
    care = CarePlan.model_validate(result.care_plan)
    if as_json:
        emit_json(care.model_dump(mode="json"))
    else:
        from rich.markdown import Markdown

        out.print(Markdown(render_plan_text(care)))


@app.command("eval")
def eval_command(
    file: Annotated[Path, typer.Argument(help="Vignette file (JSON Lines).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (spec shape).")] = False,
) -> None:
    """Score the assessment on vignettes: top-1, top-3, triage, under-triage."""
    from popliteal.assessment import assess as run
    from popliteal.evaluation import VignetteError, evaluate, read_vignettes

    kb = _knowledge()
    try:
        vignettes = read_vignettes(file)
    except VignetteError as exc:
        fail(str(exc))
    report = evaluate(vignettes, lambda v: run(v.age, v.sex, text=v.text, kb=kb))
    if as_json:
        emit_json(report)
        return
    from rich.table import Table

    table = Table(title=f"Vignettes: {file}")
    for col in ("id", "gold", "predicted (top 3)", "triage (gold)", "ok"):
        table.add_column(col)
    for c in report["cases"]:
        ok = ("T1 " if c["top1"] else "T3 " if c["top3"] else "-- ") + (
            "triage" if c["triage_ok"] else "TRIAGE?")
        table.add_row(c["id"], c["gold"] or "", ", ".join(c["conditions"][:3]),
                      f"{c['triage']} ({c['gold_triage']})", ok)
    out.print(table)
    s = report["summary"]
    out.print(f"n={s['n']}  top-1 {s['top1']:.1%}  top-3 {s['top3']:.1%}  "
              f"top-3 incl. acceptable {s['top3_acceptable']:.1%}  triage ok {s['triage_ok']:.1%}"
              f"  over-triage {s['over_triage']:.1%}  under-triaged emergencies "
              f"{s['under_triaged_emergencies']}  errors {s['errors']}")
    misses = [c for c in report["cases"] if not c["top1"] or not c["triage_ok"]]
    if misses:
        out.print("[bold]Misses[/] (what was understood from the text):")
        for c in misses:
            out.print(f"  {c['id']}: gold {c['gold']} / {c['gold_triage']}; got "
                      f"{', '.join(c['conditions'][:3])} / {c['triage']}"
                      + (f"; error: {c['error']}" if c["error"] else ""))
            out.print(f"    understood: {' '.join(c['understood']) or '(nothing)'}",
                      highlight=False)


@app.command()
def interview(
    age: Annotated[int | None, typer.Option(help="Age in years (0-120).")] = None,
    sex: Annotated[str | None, typer.Option(help="female or male.")] = None,
    text: Annotated[str | None, typer.Option(help="The problem in the patient's words.")] = None,
    jsonl: Annotated[bool, typer.Option(
        "--jsonl", help="The line protocol for programs (one JSON object a line).")] = False,
    max_questions: Annotated[int | None, typer.Option(
        min=1, max=120, help="Ask at most this many questions.")] = None,
    resume: Annotated[Path | None, typer.Option(
        help="Continue an interview saved with --save (age, sex and text come from it).")] = None,
    save: Annotated[Path | None, typer.Option(
        help="Save the interview to this file after every answer (resume with --resume).")
    ] = None,
) -> None:
    """Ask the next best question until confident and safe, then print the assessment."""
    from pydantic import ValidationError

    from popliteal.assessment import AssessmentInputError
    from popliteal.engine import AnswerError
    from popliteal.interview import Interview, InterviewConfig, run_jsonl, run_terminal
    from popliteal.knowledge import UnknownFindingError

    kb = _knowledge()
    if not jsonl and not sys.stdin.isatty():
        fail("standard input is not a terminal: use --jsonl to run the interview as a line "
             "protocol for programs")
    try:
        if resume is not None:
            if age is not None or sex is not None or text is not None:
                fail("--resume takes age, sex and text from the saved interview; leave out "
                     "--age, --sex and --text")
            try:
                session = Interview.from_json(resume.read_text(encoding="utf-8"), kb)
            except OSError as exc:
                fail(f"--resume {resume}: cannot read: {exc.strerror}")
            except (ValidationError, UnicodeDecodeError) as exc:
                fail(f"--resume {resume}: not a saved interview: {exc}")
            if max_questions is not None:
                config = session.state.config.model_copy(update={"max_questions": max_questions})
                session = Interview(session.state.model_copy(update={"config": config}), kb)
        else:
            if age is None or sex is None:
                fail("give --age and --sex (or --resume FILE)")
            config = InterviewConfig() if max_questions is None else InterviewConfig(
                max_questions=max_questions)
            session = Interview.start(age, sex, text=text, config=config, kb=kb)
    except (AssessmentInputError, AnswerError, UnknownFindingError) as exc:
        fail(str(exc))

    def keep(current: Interview) -> None:
        if save is None:
            return
        try:
            save.write_text(current.to_json() + "\n", encoding="utf-8")
        except OSError as exc:
            fail(f"--save {save}: cannot write: {exc.strerror}")

    keep(session)
    if jsonl:
        run_jsonl(session, sys.stdin, sys.stdout, on_change=keep)
        return
    from popliteal.render import render_assessment

    out.print("[bold]Popliteal interview[/]: answer with the arrow keys and Enter. "
              "\"Don't know\" is always fine. This is not a diagnosis.")
    _, result = run_terminal(session, out, on_change=keep)
    out.print()
    render_assessment(out, result)


@kb_app.command("validate")
def kb_validate(
    data_dir: Annotated[Path | None, typer.Option(help="A knowledge data folder to check.")] = None,
) -> None:
    """Check every knowledge file; list every problem with file, field and value."""
    from popliteal.knowledge import KnowledgeError, load_knowledge_base

    try:
        kb = load_knowledge_base(data_dir)
    except KnowledgeError as exc:
        fail(str(exc), code=1)
    out.print(f"knowledge base OK: {len(kb.conditions)} conditions, {len(kb.findings)} findings "
              f"({len(kb.red_flags)} red flags), {len(kb.remedies)} remedies, "
              f"{len(kb.exercises)} exercises, {sum(len(r.rules) for r in kb.rulesets)} triage "
              f"rules, {len(kb.sources)} sources; version {kb.version}")


@kb_app.command("list")
def kb_list(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List the conditions."""
    kb = _knowledge()
    rows = [
        {"id": c.id, "name": c.name, "clinical_name": c.clinical_name, "icd10": c.icd10,
         "snomed": c.snomed, "urgency": c.urgency.value, "in_article": c.in_article,
         "prior_per_1000": c.prior.per_1000, "sources": c.sources}
        for c in sorted(kb.conditions.values(), key=lambda c: c.id)
    ]
    if as_json:
        emit_json(rows)
        return
    from rich.table import Table

    table = Table(title=f"Conditions ({kb.version})")
    for col in ("id", "name", "ICD-10", "default level", "article"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["id"], r["name"], r["icd10"], r["urgency"],
                      "yes" if r["in_article"] else "")
    out.print(table)


@kb_app.command("show")
def kb_show(item_id: Annotated[str, typer.Argument(metavar="ID")],
            as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Show one condition, finding, remedy or exercise with its sources."""
    kb = _knowledge()
    for kind, pool in (("condition", kb.conditions), ("finding", kb.findings),
                       ("remedy", kb.remedies), ("exercise", kb.exercises)):
        if item_id in pool:
            data = pool[item_id].model_dump(mode="json", exclude_none=True)
            if as_json:
                emit_json({"kind": kind, **data})
                return
            import yaml

            out.print(f"[bold]{kind}[/] {item_id}")
            out.print(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100),
                      highlight=False, markup=False)
            if kind == "condition":
                cited = sorted({lk.source for lk in pool[item_id].findings}
                               | set(pool[item_id].sources) | {pool[item_id].prior.source})
                out.print("[bold]sources[/]")
                for sid in cited:
                    out.print(f"  {sid}: {kb.sources[sid].citation}", highlight=False)
            return
    import difflib

    everything = [*kb.conditions, *kb.findings, *kb.remedies, *kb.exercises]
    close = difflib.get_close_matches(item_id, everything, n=3, cutoff=0.5)
    fail(f"no condition, finding, remedy or exercise {item_id!r}"
         + (f"; did you mean {', '.join(close)}?" if close else ""))


@app.command()
def version() -> None:
    """Print the program and knowledge base versions."""
    kb = _knowledge()
    out.print(f"popliteal {__version__}, knowledge base {kb.version}")


# ---------------------------------------------------------------------------- service commands
# serve, users, purge, bookings, clinics: the clinic's side. Thin: they call api/store/clinics.

users_app = typer.Typer(no_args_is_help=True, help="Clinician accounts.")
app.add_typer(users_app, name="users")


def _store_settings():  # type: ignore[no-untyped-def]
    from pydantic import ValidationError

    from popliteal.store import StoreSettings

    try:
        return StoreSettings.from_env()
    except ValidationError as exc:
        fail(f"bad database settings (POPLITEAL_*): {exc.errors()[0]['msg']}")


def _open_store():  # type: ignore[no-untyped-def]
    from sqlalchemy.exc import SQLAlchemyError

    from popliteal.store import Store

    settings = _store_settings()
    try:
        return Store.from_settings(settings)
    except (SQLAlchemyError, ValueError) as exc:
        fail(f"cannot open the database {_shown_url(settings.database_url)}: "
             f"{type(exc).__name__}")


def _shown_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    log_level: Annotated[str, typer.Option(help="debug, info, warning or error.")] = "info",
    workers: Annotated[int, typer.Option(
        min=1, max=64, help="Server processes sharing the port (one per core; all share the "
        "database, so any of them can continue any interview).")] = 1,
) -> None:
    """Start the web app and API (database: POPLITEAL_DATABASE_URL, SQLite by default)."""
    import logging

    import uvicorn
    from pydantic import ValidationError

    from popliteal.api import ApiSettings, create_app

    try:
        settings = ApiSettings.from_env()
    except ValidationError as exc:
        fail("; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors()))
    level = log_level.upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        fail(f"--log-level {log_level!r}: use debug, info, warning or error")
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    shown_host = {"0.0.0.0": "127.0.0.1", "::": "[::1]"}.get(host) or (
        f"[{host}]" if ":" in host else host)
    out.print(f"Popliteal is running at http://{shown_host}:{port}/", highlight=False,
              markup=False)
    out.file.flush()  # seen at once even when stdout is a pipe
    err.print(f"Popliteal {__version__}: pages /, clinician's desk /desk, API /api/v1, schema "
              f"/openapi.json; database {_shown_url(settings.store.database_url)}; "
              f"env {settings.env}. Press Ctrl+C to stop.", highlight=False, markup=False)
    # The server's access log prints raw paths, which hold patients' tokens: it stays off;
    # the app logs method, route template and status instead.
    options: dict[str, Any] = {"host": host, "port": port, "access_log": False,
                               "log_level": log_level.lower(), "server_header": False}
    if workers == 1:
        uvicorn.run(create_app(settings), **options)
    else:  # each worker process builds its own app (and store) from the same environment
        share_secret_with_workers(os.environ)
        uvicorn.run("popliteal.api:create_app", factory=True, workers=workers, **options)


def share_secret_with_workers(environ: MutableMapping[str, str]) -> None:
    """Give the worker processes one secret key when none is configured.

    Why: without ``POPLITEAL_SECRET_KEY`` each process would draw its own, and a form signed
    by one worker (its CSRF token) would be refused by the next, a clinician's CSRF token
    would hold on one worker only, and the rate limits would be counted apart. The workers
    inherit the environment of this process, so one key drawn here is theirs. It lasts as
    long as this server (as a drawn key always did); set the variable to keep sessions
    across restarts and to share the key with servers on other machines.
    """
    if not environ.get("POPLITEAL_SECRET_KEY", "").strip():
        environ["POPLITEAL_SECRET_KEY"] = secrets.token_urlsafe(32)


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="3-64 characters: a-z, 0-9, _ . -")],
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help="Read the password from standard input (one line).")] = False,
) -> None:
    """Create a clinician account (the password is prompted twice, or read from stdin)."""
    from popliteal.store import InvalidInput, UserExists

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    store = _open_store()
    try:
        user = store.add_user(username, password)
    except (InvalidInput, UserExists) as exc:
        fail(str(exc))
    finally:
        store.dispose()
    out.print(f"clinician {user.username!r} added", highlight=False)


@app.command()
def purge(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count only; delete nothing.")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Delete assessments and bookings past the retention period (POPLITEAL_RETENTION_DAYS)."""
    import dataclasses

    store = _open_store()
    try:
        if dry_run:
            from popliteal.store import purge_expired

            with store.transaction() as session:
                counts = purge_expired(session)
                session.rollback()  # counted inside the transaction, then undone
        else:
            counts = store.purge_expired()
    finally:
        store.dispose()
    data = {"dry_run": dry_run, **dataclasses.asdict(counts)}
    if as_json:
        emit_json(data)
        return
    verb = "would delete" if dry_run else "deleted"
    out.print(f"{verb}: {counts.assessments} assessments ({counts.answers} answers), "
              f"{counts.bookings} bookings, {counts.auth_tokens} expired login tokens",
              highlight=False)


@app.command()
def bookings(
    as_json: Annotated[bool, typer.Option("--json")] = False,
    handled: Annotated[bool | None, typer.Option(
        "--handled/--unhandled", help="Only handled, or only unhandled, requests.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 100,
) -> None:
    """List booking requests, newest first (the listing is audited)."""
    store = _open_store()
    try:
        rows = store.list_bookings(handled=handled, limit=limit)
    finally:
        store.dispose()
    data = [
        {"id": b.id, "created_at": b.created_at.isoformat(), "branch_id": b.branch_id,
         "name": b.name, "phone": b.phone, "preferred_times": b.preferred_times,
         "notes": b.notes, "assessment_id": b.assessment_id,
         "handled_at": b.handled_at.isoformat() if b.handled_at else None,
         "handled_by": b.handled_by}
        for b in rows
    ]
    if as_json:
        emit_json(data)
        return
    if not data:
        out.print("no booking requests")
        return
    from rich.table import Table

    table = Table(title="Booking requests")
    for col in ("id", "created", "branch", "name", "phone", "preferred times", "handled"):
        table.add_column(col)
    for b in data:
        table.add_row(str(b["id"]), b["created_at"][:16], b["branch_id"], b["name"], b["phone"],
                      ", ".join(b["preferred_times"]), b["handled_by"] or "")
    out.print(table)


@app.command()
def clinics(
    near: Annotated[str | None, typer.Option(help="A Singapore postal code, e.g. 560123.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The clinic's branches, nearest first when --near is given."""
    from popliteal.clinics import PostalCodeError, load_branches, nearest_branches

    if near is not None:
        try:
            rows = [b.model_dump(mode="json") for b in nearest_branches(near)]
        except PostalCodeError as exc:
            fail(str(exc))
    else:
        rows = [{**b.model_dump(mode="json"), "distance_km": None} for b in load_branches()]
    if as_json:
        emit_json(rows)
        return
    from rich.table import Table

    table = Table(title=f"Branches nearest {near}" if near else "Branches")
    for col in ("id", "name", "address", "phone", "km"):
        table.add_column(col)
    for b in rows:
        km = "" if b["distance_km"] is None else f"{b['distance_km']:.1f}"
        table.add_row(b["id"], b["name"], b["address"], b["phone_as_printed"], km)
    out.print(table)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
