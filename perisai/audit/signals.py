"""Sign-in events into the audit trail."""

from allauth.mfa.signals import authentication_failed, authenticator_added, authenticator_removed
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from perisai.audit.choices import AuditAction, AuditOutcome
from perisai.audit.services import audit_record


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_record(actor=user, action=AuditAction.LOGIN, obj=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action=AuditAction.LOGOUT, obj=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # The typed user name is not recorded: people sometimes type their password into that field.
    audit_record(actor=None, action=AuditAction.LOGIN_FAILED, outcome=AuditOutcome.FAILURE)


@receiver(authenticator_added)
def _second_factor_added(sender, request, user, authenticator, **kwargs):
    audit_record(actor=user, action=AuditAction.MFA_ENROLLED, obj=user, extra={"type": authenticator.type})


@receiver(authenticator_removed)
def _second_factor_removed(sender, request, user, authenticator, **kwargs):
    audit_record(actor=user, action=AuditAction.MFA_REMOVED, obj=user, extra={"type": authenticator.type})


@receiver(authentication_failed)
def _second_factor_failed(sender, request, user, **kwargs):
    audit_record(
        actor=None,
        action=AuditAction.LOGIN_FAILED,
        obj=user,
        outcome=AuditOutcome.FAILURE,
        extra={"step": "second_factor"},
    )


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    audit_record(actor=None, action=AuditAction.LOCKED_OUT, outcome=AuditOutcome.DENIED)
