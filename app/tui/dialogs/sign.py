"""Sign an audit's attestation with the official's own key (PKCS#12 file or PKCS#11 token).

The dialog shows why signing is refused while the audit is not ready (the service's review
blockers), else the attestation statement and the legal weight of signing, asks for the key
and its passphrase or PIN (never shown, never remembered), and signs in a worker once the
signer has ticked that they read the statement.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import (
    Button,
    Checkbox,
    Footer,
    Input,
    Label,
    LoadingIndicator,
    RadioButton,
    RadioSet,
    Static,
)

from app.audit import (
    ATTESTATION_WEIGHT,
    AuditInfo,
    AuditService,
    SignedAudit,
    SigningKey,
    load_signing_key,
    prepare_signing,
)
from app.errors import UserFacingError
from app.tui.config import load_settings, remember
from app.tui.dialogs import show_message
from app.tui.dialogs.job import JobDialog, JobWidgets
from app.tui.jobs import default_folder, file_stem

SIGNED = "signed"
"""The dialog's result when the audit was signed."""
REVIEW = "review"
"""The dialog's result when the user asked to see the review (what blocks signing)."""
BLOCKERS_SHOWN = 12


class SignDialog(JobDialog[str | None]):
    """Sign the audit; returns `SIGNED`, `REVIEW`, or `None` when closed unsigned."""

    BINDINGS = [
        Binding("escape", "cancel", "Close"),
        Binding("ctrl+s", "sign", "Sign"),  # the key every dialog submits with
    ]

    AUTO_FOCUS = ""

    JOB_WIDGETS = JobWidgets(busy="#sign-busy", error="#sign-error", buttons="#sign",
                             progress="#sign-progress")

    def __init__(self, service: AuditService, audit: AuditInfo) -> None:
        super().__init__(classes="dialog-screen")
        self.service = service
        """The service that signs and locks the audit."""
        self.audit = audit
        """The audit to sign."""
        self.settings = load_settings()
        """The remembered key location and signer title."""
        self.blockers: list[str] = []
        """Why the audit cannot be signed yet (the service's review); empty when ready."""
        self.unavailable: str | None = None
        """Why this audit cannot be signed at all (already signed, unreadable), or None."""
        self.statement: list[str] = []
        """The statement the signer attests to, paragraph by paragraph."""
        self.capacity: str | None = None
        """The capacity the audit records, printed under the name; None when it records none."""
        self.result: SignedAudit | None = None
        """The signed audit, once signed."""
        self._assess()

    def _assess(self) -> None:
        if self.audit.read_only:
            self.unavailable = "this audit is already signed"
            return
        try:
            self.blockers = self.service.review(self.audit.id).blockers
        except UserFacingError as exc:
            self.unavailable = str(exc)
            return
        if self.blockers:
            return
        try:
            statement = self.service.attestation_statement(self.audit.id)
            self.statement = statement.paragraphs()
            self.capacity = statement.capacity
        except UserFacingError as exc:
            self.unavailable = str(exc)

    @property
    def can_sign(self) -> bool:
        """True when the audit is ready and signing works here."""
        return not self.blockers and not self.unavailable

    def compose(self) -> ComposeResult:
        """Blockers, or the statement, the key fields, the confirmation and the buttons."""
        with Vertical(classes="dialog", id="sign-dialog"):
            yield Static(f"Sign the attestation — {self.audit.title}",
                         classes="dialog-title", markup=False)
            if not self.can_sign:
                yield from self._compose_refusal()
                return
            with VerticalScroll(classes="dialog-body sign-body") as body:
                body.can_focus = False
                yield Static("You attest:", classes="field-label")
                for paragraph in self.statement:
                    yield Static(paragraph, classes="statement", markup=False)
                yield Static(ATTESTATION_WEIGHT, classes="statement weight", markup=False)
                yield Label("Your key", classes="field-label")
                pkcs11 = self.settings.key_source == "pkcs11"
                with RadioSet(id="key-source", compact=True):
                    yield RadioButton(Content("Certificate file (PKCS#12: .p12/.pfx)"),
                                      value=not pkcs11)
                    yield RadioButton(Content("Smart card or token (PKCS#11, e.g. a PIV card)"),
                                      value=pkcs11)
                with Vertical(id="pkcs12-fields", classes="key-fields"):
                    yield Input(self.settings.pkcs12_path, id="pkcs12-path", compact=True,
                                placeholder="path of the .p12 or .pfx file")
                with Vertical(id="pkcs11-fields", classes="key-fields"):
                    yield Input(self.settings.pkcs11_library, id="pkcs11-lib", compact=True,
                                placeholder="PKCS#11 library, e.g. /usr/lib/…/opensc-pkcs11.so")
                    with Horizontal(classes="period"):
                        yield Input(self.settings.pkcs11_token, id="pkcs11-token",
                                    compact=True, placeholder="token label")
                        yield Input(self.settings.pkcs11_key, id="pkcs11-key", compact=True,
                                    placeholder="key label (blank: a PIV card's SIGN key)")
                yield Label("Passphrase", id="secret-label", classes="field-label")
                yield Input(id="secret", password=True, compact=True,
                            placeholder="never shown, never stored")
                if self.capacity is not None:
                    yield Label("Your capacity (as the audit records it; printed under your "
                                "name)", classes="field-label")
                    yield Input(self.capacity, id="signer-title", compact=True,
                                disabled=True)
                else:
                    yield Label("Your title (printed under your name)", classes="field-label")
                    yield Input(self.settings.signer_title, id="signer-title", compact=True,
                                placeholder="e.g. Chief of Staff, Office of the Governor")
                yield Label("Signed file", classes="field-label")
                folder = default_folder(self.settings.export_folder)
                yield Input(str(folder / f"{file_stem(self.audit)}-signed.pdf"),
                            id="sign-output", compact=True)
                yield Label("Timestamp server (optional)", classes="field-label")
                yield Input(id="tsa", compact=True, placeholder="RFC 3161 URL, e.g. "
                            "https://freetsa.org/tsr")
                yield Checkbox("I have read the statement and sign it as my own",
                               id="sign-confirm", compact=True)
            with Horizontal(classes="job-status"):
                yield LoadingIndicator(id="sign-busy")
                yield Static("", id="sign-progress", markup=False)
            yield Static("", id="sign-error", classes="dialog-error", markup=False)
            yield Static("", id="sign-result", classes="dialog-ok", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Sign", id="sign", variant="error", disabled=True)
                yield Button("Cancel", id="cancel")
        yield Footer(show_command_palette=False)

    def _compose_refusal(self) -> ComposeResult:
        if self.unavailable:
            yield Static(f"Signing is not possible: {self.unavailable}.", id="sign-refused",
                         classes="dialog-error", markup=False)
        else:
            shown = self.blockers[:BLOCKERS_SHOWN]
            more = len(self.blockers) - len(shown)
            lines = "\n".join(f"  • {reason}" for reason in shown)
            extra = f"\n  … and {more} more" if more > 0 else ""
            yield Static(f"This audit cannot be signed yet:\n{lines}{extra}",
                         id="sign-refused", classes="dialog-error", markup=False)
            yield Static("Answer the required questions and confirm every carried-forward "
                         "answer; the review lists each one and jumps to it.",
                         classes="field-help")
        with Horizontal(classes="dialog-buttons"):
            if self.blockers:
                yield Button("Open the review", id="review", variant="primary")
            yield Button("Close", id="cancel")

    def on_mount(self) -> None:
        """Show the fields of the remembered key source; nothing running yet."""
        if not self.can_sign:
            self.query_one("#cancel" if self.unavailable else "#review", Button).focus()
            return
        self.hide_job_status()
        show_message(self.query_one("#sign-result", Static), "")
        # While the signer fills in the dialog, so that signing does not wait for imports.
        self.run_worker(prepare_signing, thread=True, group="prepare-signing",
                        exit_on_error=False)
        self._show_key_source()
        self.query_one("#key-source", RadioSet).focus(scroll_visible=False)

    def _pkcs11(self) -> bool:
        return self.query_one("#key-source", RadioSet).pressed_index == 1

    def _show_key_source(self) -> None:
        pkcs11 = self._pkcs11()
        self.query_one("#pkcs12-fields").display = not pkcs11
        self.query_one("#pkcs11-fields").display = pkcs11
        self.query_one("#secret-label", Label).update("PIN" if pkcs11 else "Passphrase")

    @on(RadioSet.Changed, "#key-source")
    def _source_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        self._show_key_source()

    @on(Checkbox.Changed, "#sign-confirm")
    def _confirm_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self.query_one("#sign", Button).disabled = not event.value or self.job_running

    def _value(self, selector: str) -> str:
        return self.query_one(selector, Input).value.strip()

    def _key(self) -> SigningKey:
        secret = self.query_one("#secret", Input).value
        if self._pkcs11():
            return load_signing_key(pkcs11_lib=self._value("#pkcs11-lib"),
                                    token=self._value("#pkcs11-token"),
                                    key_label=self._value("#pkcs11-key"), pin=secret)
        return load_signing_key(pkcs12=self._value("#pkcs12-path"), passphrase=secret)

    def action_sign(self) -> None:
        """Sign in a worker, once the statement is confirmed."""
        if self.job_running or not self.can_sign or self.result is not None:
            return
        if not self.query_one("#sign-confirm", Checkbox).value:
            self.show_job_error("tick the box to confirm you have read the statement")
            return
        try:
            key = self._key()
            output = self._value("#sign-output")
            if not output:
                raise UserFacingError("give the file to write the signed attestation to")
        except UserFacingError as exc:
            self.show_job_error(str(exc))
            return
        target = Path(output).expanduser()
        title = self._value("#signer-title") or None
        tsa = self._value("#tsa") or None

        def sign() -> SignedAudit:
            return self.service.sign(self.audit.id, key, target, signer_title=title,
                                     timestamp_url=tsa)

        self.run_job(sign, self._signed, unexpected="signing failed", failed=self._not_signed,
                     progress="Signing: rendering the final attestation and applying your "
                              "signature (a few seconds)…")

    def _not_signed(self, refusal: str) -> None:
        """Say why nothing was signed; the secret is asked for again."""
        self.query_one("#secret", Input).value = ""
        self.show_job_error(f"Not signed: {refusal}")
        self.query_one("#sign", Button).disabled = not self.query_one(
            "#sign-confirm", Checkbox).value

    def _signed(self, signed: SignedAudit) -> None:
        """Show the signed file; the dialog now only closes."""
        self.query_one("#secret", Input).value = ""
        self.result = signed
        show_message(self.query_one("#sign-result", Static),
                     f"Signed by {signed.signer}. Wrote {signed.path} ({signed.pages} pages, "
                     f"SHA-256 {signed.pdf_sha256}). The audit is now read-only.")
        for widget in self.query(Input):
            widget.disabled = True
        self.query_one("#sign-confirm", Checkbox).disabled = True
        self.query_one("#sign", Button).display = False
        close = self.query_one("#cancel", Button)
        close.label = "Close"
        close.focus()
        pkcs11 = self._pkcs11()
        problem = remember(
            signer_title=(self.settings.signer_title if self.capacity is not None
                          else self._value("#signer-title")),
            key_source="pkcs11" if pkcs11 else "pkcs12",
            pkcs12_path=self.settings.pkcs12_path if pkcs11 else self._value("#pkcs12-path"),
            pkcs11_library=self._value("#pkcs11-lib") if pkcs11 else self.settings.pkcs11_library,
            pkcs11_token=self._value("#pkcs11-token") if pkcs11 else self.settings.pkcs11_token,
            pkcs11_key=self._value("#pkcs11-key") if pkcs11 else self.settings.pkcs11_key,
            export_folder=str(Path(signed.path).resolve().parent))
        if problem:
            self.app.notify(problem, severity="warning", markup=False)
        self.app.notify(f"Signed: {signed.path}", title="Signed", markup=False)

    def action_cancel(self) -> None:
        """Close, once no signing is running."""
        if self.job_running:
            self.notify("Signing is still running: it takes a few seconds.",
                        severity="warning")
            return
        self.dismiss(SIGNED if self.result is not None else None)

    @on(Button.Pressed, "#sign")
    def _sign_pressed(self) -> None:
        self.action_sign()

    @on(Button.Pressed, "#review")
    def _review_pressed(self) -> None:
        self.dismiss(REVIEW)

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
