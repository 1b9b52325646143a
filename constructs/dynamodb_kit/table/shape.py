"""A table's shape (what the data model owns) apart from its settings (what an
environment owns), and restores declared as code.

``TableProps`` holds both, for one table. An app that deploys the same tables
to several environments declares each shape once and each environment's
settings once; since neither type has the other's fields, an environment
cannot silently override what a shape set, and a shape cannot set what every
environment would then override.
"""

from __future__ import annotations

import dataclasses
from dataclasses import field
from typing import Literal, Mapping

from ..core.checked import props
from ..core.errors import ValidationError
from .props import (
    Attribute,
    Billing,
    ContributorInsights,
    GlobalSecondaryIndex,
    LocalSecondaryIndex,
    PointInTimeRecovery,
    Replica,
    RestoreSource,
    StreamViewType,
    TableClass,
    TableEncryption,
    TableProps,
)


@props
class TableShape:
    """The data model of a table: name, keys, indexes, TTL, stream, class.

    Fields mean what they mean on :class:`TableProps`; GSIs here carry no
    billing (their capacities are an environment's setting: see
    ``TableSettings.index_billing``).

    Attributes
    ----------
    table_name:
        Base name; the settings' ``name_prefix`` is prepended.
    partition_key, sort_key:
        The primary key. Sort key default: none.
    global_secondary_indexes, local_secondary_indexes:
        Default: none.
    time_to_live_attribute:
        Default: none, TTL off.
    stream:
        Default: none, no stream.
    table_class:
        Default: ``STANDARD``.
    """

    table_name: str
    partition_key: Attribute
    sort_key: Attribute | None = None
    global_secondary_indexes: tuple[GlobalSecondaryIndex, ...] = ()
    local_secondary_indexes: tuple[LocalSecondaryIndex, ...] = ()
    time_to_live_attribute: str | None = None
    stream: StreamViewType | None = None
    table_class: TableClass = TableClass.STANDARD

    def _check(self) -> None:
        for i, gsi in enumerate(self.global_secondary_indexes):
            if gsi.billing is not None:
                raise ValidationError(
                    "TableShape", f"global_secondary_indexes[{i}].billing", gsi.billing.mode.value,
                    problem="is an environment's setting, not part of the shape",
                    fix=f"set it in TableSettings(index_billing={{'{gsi.name}': ...}})",
                )

    @property
    def index_names(self) -> tuple[str, ...]:
        return tuple(i.name for i in (*self.global_secondary_indexes, *self.local_secondary_indexes))

    def props(self, settings: "TableSettings") -> TableProps:
        """The table's props in one environment."""
        gsi_names = {g.name for g in self.global_secondary_indexes}
        for name in settings.index_billing:
            if name not in gsi_names:
                raise ValidationError(
                    "TableSettings", "index_billing", name,
                    problem=f"is not a GSI of {self.table_name} ({', '.join(sorted(gsi_names)) or 'none'})",
                    fix="name one of the shape's global secondary indexes",
                )
        return TableProps(
            table_name=f"{settings.name_prefix}{self.table_name}",
            partition_key=self.partition_key,
            sort_key=self.sort_key,
            global_secondary_indexes=tuple(
                dataclasses.replace(g, billing=settings.index_billing.get(g.name))
                for g in self.global_secondary_indexes
            ),
            local_secondary_indexes=self.local_secondary_indexes,
            billing=settings.billing,
            time_to_live_attribute=self.time_to_live_attribute,
            stream=self.stream,
            encryption=settings.encryption,
            table_class=self.table_class,
            deletion_protection=settings.deletion_protection,
            point_in_time_recovery=settings.point_in_time_recovery,
            prevent_destroy=settings.prevent_destroy,
            tags=settings.tags,
            replicas=settings.replicas,
            contributor_insights=settings.contributor_insights,
        )


@props
class TableSettings:
    """What an environment decides about a table: billing, protection, keys.

    Attributes
    ----------
    name_prefix:
        Prepended to the shape's table name (``"prod-"``). Default: none (``""``).
    billing:
        Default: ``Billing.on_demand()``.
    index_billing:
        GSI name -> its billing (same mode as ``billing``). Default: none, each
        GSI follows the table.
    encryption:
        Default: ``TableEncryption.aws_owned()``.
    point_in_time_recovery:
        Default: ``PointInTimeRecovery(days=35)``; ``False`` turns it off.
    deletion_protection:
        Default: ``True``.
    prevent_destroy:
        Default: ``False``.
    tags:
        Default: none.
    replicas:
        Replicas in other regions. Default: none.
    contributor_insights:
        Default: none, off.
    """

    name_prefix: str = ""
    billing: Billing = Billing.on_demand()
    index_billing: Mapping[str, Billing] = field(default_factory=dict)
    encryption: TableEncryption = TableEncryption.aws_owned()
    point_in_time_recovery: PointInTimeRecovery | Literal[False] = PointInTimeRecovery()
    deletion_protection: bool = True
    prevent_destroy: bool = False
    tags: Mapping[str, str] = field(default_factory=dict)
    replicas: tuple[Replica, ...] = ()
    contributor_insights: ContributorInsights | None = None


@props
class TableRestore:
    """A table restored as code from another table's PITR history.

    The restored table has the shape's keys and indexes (minus any dropped for
    a faster restore) and the environment's settings, with optional billing
    overrides for the table and each GSI it keeps.

    Attributes
    ----------
    construct_id:
        Id of the new table's construct; fixes its Terraform address.
    shape:
        The shape of the source table.
    table_name:
        Base name of the new table (the settings' prefix is added).
    source:
        Which table and moment to restore.
    drop_global_secondary_indexes:
        GSIs to leave out. Default: none.
    billing:
        The restored table's billing. Default: none, the environment's.
    index_billing:
        Kept GSI name -> its billing. Default: none, each follows the table.
    """

    construct_id: str
    shape: TableShape
    table_name: str
    source: RestoreSource
    drop_global_secondary_indexes: tuple[str, ...] = ()
    billing: Billing | None = None
    index_billing: Mapping[str, Billing] = field(default_factory=dict)

    def _check(self) -> None:
        known = {g.name for g in self.shape.global_secondary_indexes}
        for i, name in enumerate(self.drop_global_secondary_indexes):
            if name not in known:
                raise ValidationError(
                    "TableRestore", f"drop_global_secondary_indexes[{i}]", name,
                    problem=f"is not a GSI of {self.shape.table_name} "
                    f"({', '.join(sorted(known)) or 'none'})",
                    fix="name an index of the shape",
                )
        kept = known - set(self.drop_global_secondary_indexes)
        for name in self.index_billing:
            if name not in kept:
                raise ValidationError(
                    "TableRestore", "index_billing", name,
                    problem=f"is not a GSI the restored table keeps ({', '.join(sorted(kept)) or 'none'})",
                    fix="set billing only for kept indexes",
                )

    def props(self, settings: TableSettings) -> TableProps:
        """The restored table's props in one environment.

        A restore creates a table in one region: replicas are added by a later
        change, never with the restore."""
        settings = dataclasses.replace(settings, replicas=())
        shape = dataclasses.replace(
            self.shape,
            table_name=self.table_name,
            global_secondary_indexes=tuple(
                g for g in self.shape.global_secondary_indexes
                if g.name not in self.drop_global_secondary_indexes
            ),
        )
        if self.billing is not None:
            settings = dataclasses.replace(
                settings, billing=self.billing, index_billing=dict(self.index_billing)
            )
        else:
            kept = {g.name for g in shape.global_secondary_indexes}
            index_billing = {k: v for k, v in settings.index_billing.items() if k in kept}
            settings = dataclasses.replace(settings, index_billing={**index_billing, **self.index_billing})
        return dataclasses.replace(shape.props(settings), restore=self.source)
