"""GitHub Actions as an OIDC identity provider of the account, and the
repository whose workflows may use it."""

from __future__ import annotations

import re
from dataclasses import field
from typing import Mapping

from ..core.checked import expect_props, props
from ..core.errors import ValidationError
from ..core.terraform import Construct, KitConstruct, aws_resource, path_of, ref

GITHUB_OIDC_HOST = "token.actions.githubusercontent.com"
GITHUB_OIDC_URL = f"https://{GITHUB_OIDC_HOST}"
# The audience configure-aws-credentials asks GitHub for.
STS_AUDIENCE = "sts.amazonaws.com"

_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})")
_REPO = re.compile(r"[A-Za-z0-9._-]{1,100}")
# What follows "repo:OWNER/REPO:" in a subject: the contexts a deploy role trusts.
_CONTEXT = re.compile(r"pull_request|ref:refs/heads/[A-Za-z0-9._/-]+|environment:[A-Za-z0-9._-]{1,255}")


@props
class GitHubRepository:
    """A GitHub repository, by name and by its immutable ids.

    GitHub's OIDC subject names the repository ``repo:OWNER/REPO:...``, and for
    repositories created or renamed since mid-2026 ``repo:OWNER@OWNER_ID/REPO@REPO_ID:...``:
    the ids survive a rename and are never reused, so a deleted and recreated
    ``OWNER/REPO`` never matches the second form. Trust policies accept both.
    Read the ids with ``gh api repos/OWNER/REPO --jq '.owner.id, .id'``.

    Attributes
    ----------
    owner, name:
        ``OWNER`` and ``REPO`` of ``github.com/OWNER/REPO``.
    owner_id, repository_id:
        The numeric ids of the owner and of the repository.
    """

    owner: str
    name: str
    owner_id: int
    repository_id: int

    def _check(self) -> None:
        if not _NAME.fullmatch(self.owner):
            raise ValidationError("GitHubRepository", "owner", self.owner,
                                  problem="is not a GitHub user or organization name",
                                  fix="give OWNER of github.com/OWNER/REPO")
        if not _REPO.fullmatch(self.name) or self.name in (".", ".."):
            raise ValidationError("GitHubRepository", "name", self.name,
                                  problem="is not a GitHub repository name",
                                  fix="give REPO of github.com/OWNER/REPO")
        for name in ("owner_id", "repository_id"):
            if getattr(self, name) < 1:
                raise ValidationError("GitHubRepository", name, getattr(self, name),
                                      problem="must be a positive id",
                                      fix="read it with gh api repos/OWNER/REPO --jq '.owner.id, .id'")

    def subjects(self, context: str) -> tuple[str, str]:
        """Both forms of the subject for one context (``pull_request``,
        ``ref:refs/heads/main``, ``environment:prod``)."""
        if not _CONTEXT.fullmatch(context):
            raise ValidationError(
                f"{self.owner}/{self.name}", "context", context,
                problem="is not a GitHub OIDC subject context this kit trusts",
                fix="use pull_request, ref:refs/heads/BRANCH or environment:NAME",
            )
        return (
            f"repo:{self.owner}/{self.name}:{context}",
            f"repo:{self.owner}@{self.owner_id}/{self.name}@{self.repository_id}:{context}",
        )


@props
class GitHubOidcProviderProps:
    """Props of a :class:`GitHubOidcProvider`.

    Attributes
    ----------
    tags:
        Default: none.
    """

    tags: Mapping[str, str] = field(default_factory=dict)


class GitHubOidcProvider(KitConstruct):
    """The account's IAM OIDC provider for GitHub Actions (one per account).

    No thumbprint: IAM trusts GitHub's certificate through its own library of
    root CAs, and a pinned thumbprint only breaks when GitHub rotates its
    certificate. Audience ``sts.amazonaws.com``.
    """

    def __init__(self, scope: Construct, id: str, props: GitHubOidcProviderProps | None = None) -> None:
        super().__init__(scope, id)
        props = props if props is not None else GitHubOidcProviderProps()
        expect_props(path_of(self), props, GitHubOidcProviderProps)
        self.resource = aws_resource(self, "Resource", "aws_iam_openid_connect_provider", {
            "url": GITHUB_OIDC_URL,
            "client_id_list": [STS_AUDIENCE],
            "tags": dict(props.tags) or None,
        })

    @property
    def provider_arn(self) -> str:
        return ref(self.resource, "arn")
