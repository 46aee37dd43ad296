"""Who may make, see and revoke API tokens.

- Anyone signed in makes tokens for themself and sees and revokes their own.
- A system administrator also makes one for another account (a service account that an
  integration signs in as) and sees and revokes every token.

``tokens_for`` is the list twin of the ``view`` rule; a test keeps the two in step."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from caicach.api.models import ApiToken
from caicach.core.models import User
from caicach.core.permissions import Principal, global_rule, principal, rule


@global_rule("api.manage_own_tokens")
def _own_tokens(who: Principal) -> bool:
    return True


@rule(User, "api.create_token")
def _create_token_for(who: Principal, person: User) -> bool:
    return who.is_admin or who.user.pk == person.pk


@rule(ApiToken, "view", "revoke")
def _token(who: Principal, token: ApiToken) -> bool:
    return who.is_admin or token.user_id == who.user.pk


def tokens_for(user: User | AnonymousUser) -> QuerySet[ApiToken]:
    """The tokens ``user`` may see: their own; an administrator's, every one."""
    who = principal(user)
    tokens = ApiToken.objects.select_related("user", "created_by")
    if who is None:
        return tokens.none()
    return tokens if who.is_admin else tokens.filter(user=who.user)
