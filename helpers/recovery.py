"""Chapter 6 model, part 2: how much data a failure loses (RPO) and how long recovery takes (RTO).

A recovery calculator, worst case, for two kinds of failure:

* ``"site loss"``: the primary's servers, disks or whole site are gone. You recover
  from the newest copy kept elsewhere: a replica, or the last backup that had been
  copied off the site. Which site decides the scope (:data:`FAILURE_SCOPE`): losing a
  host or an Availability Zone is **high availability** (a replica in another zone of the
  same Region, e.g. RDS Multi-AZ); losing a Region is **disaster recovery** (a copy in
  another Region: the AWS DR tiers).
* ``"data corruption"``: ransomware, a bad deploy, a deleted table: always disaster
  recovery. Replication copies the damage to the replica within its lag, so you recover
  from a backup taken *before* the damage; the writes made between the damage and its
  detection are lost too.

Worst-case data loss (the RPO a setup can promise), in seconds::

    site loss, no replication     = backup interval + backup duration + time to copy it off the site
    site loss, asynchronous       = replication lag
    site loss, synchronous        = 0
    data corruption, snapshots    = backup interval + backup duration + detection time
    data corruption, point-in-time recovery = detection time

Point-in-time recovery (a base backup plus a continuous log, as RDS keeps) can restore
to any second before the damage, so against corruption only the undetected writes are
lost; against a site loss the log shipped so far counts (RDS uploads it every 5 minutes).

Worst-case recovery time (the RTO), in seconds::

    fail over to a replica        = detection + failover                         (site loss with replication)
    restore from a backup         = detection + provisioning + data / restore throughput   (otherwise)

The restore time is data / throughput: the time until every block is back at full
speed. An EBS volume created from a snapshot can be attached at once, but its blocks are
loaded lazily from S3 on first read (slow until initialised) unless the snapshot has
fast snapshot restore or the volume a provisioned initialisation rate, so "back" after
a snapshot restore is a service that still runs slowly for the restore time.

Every input a practitioner would name is a parameter. What the model leaves out, so
its RTO is a floor: testing and verifying the restored data, replaying logs after a
snapshot, warming caches, DNS caches that outlive their TTL, and people being
unavailable; and it assumes the backups survive the failure. Ransomware operators stay
in a network for days before they encrypt (:data:`RANSOMWARE_DWELL_DAYS`) and go for
the backups first: only a copy they cannot delete (offline, or object-locked for longer
than the dwell time) is a clean one; :func:`clean_backup_survives` says whether one does. The AWS disaster-recovery tiers (``data/dr_tiers.csv``) and their cost
come from chapter 5's cost model (:func:`dr_tier_costs`, through one adapter).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import pandas as pd

from .data import Column, load, panel_parameter_columns, register_schema
from .validation import require_choice, require_flag, require_integer, require_mapping, require_number

__all__ = [
    "REPLICATION", "FAILURES", "SITE_LOSS", "DATA_CORRUPTION", "SETUPS", "ARTICLE_SNAPSHOT_RPO_H",
    "ARTICLE_RTO_VM_H", "ARTICLE_RTO_CONTAINER_S", "CLOUD_BACKUP_INTERVAL_H", "DEFAULT_PROVISION_MIN",
    "DEFAULT_FLEET_VMS", "FAILURE_SCOPE", "RANSOMWARE_DWELL_DAYS", "clean_backup_survives", "fleet_data_gib",
    "worst_case_data_loss_s", "recovery_time_s", "recovery_breakdown", "recovery_parameters",
    "recovery_defaults", "compare_setups", "dr_tiers", "cheapest_tier_meeting", "dr_tier_costs",
]

SITE_LOSS, DATA_CORRUPTION = "site loss", "data corruption"
FAILURES = (SITE_LOSS, DATA_CORRUPTION)
REPLICATION = ("none", "asynchronous", "synchronous")
#: The article's "快照备份(RPO=1小时)" (snapshot backup, RPO = 1 hour).
ARTICLE_SNAPSHOT_RPO_H = 1.0
#: The article's appendix "数据恢复时间(RTO) | 1-4小时 | <1分钟": VMs 1-4 hours, containers under a minute.
ARTICLE_RTO_VM_H = (1.0, 4.0)
ARTICLE_RTO_CONTAINER_S = 60.0
#: Backups of the replicated cloud setup: point-in-time recovery. RDS "uploads transaction logs for DB instances
#: to Amazon S3 every 5 minutes" (RDS User Guide, USER_PIT), so a site loss without a replica loses up to 5 minutes;
#: against corruption it restores to just before the damage.
CLOUD_BACKUP_INTERVAL_H = 5 / 60
#: What each failure calls for: high availability (same Region) or disaster recovery (another Region, or backups).
FAILURE_SCOPE = {
    "host or zone loss": "high availability: a replica in another Availability Zone of the same Region "
                         "(RDS Multi-AZ fails over in 60-120 s)",
    "region loss": "disaster recovery: a copy in another Region (the AWS DR tiers)",
    "data corruption": "disaster recovery from backups taken before the damage: replicas copy it",
}
#: Days ransomware operators are inside a network before they are detected: Mandiant M-Trends 2024 (2023 data),
#: median dwell time of ransomware-related intrusions 5 days (all intrusions: 10 days).
RANSOMWARE_DWELL_DAYS = 5.0
#: Minutes to start replacement servers before a restore (our assumption: a VM from an image).
DEFAULT_PROVISION_MIN = 10.0
#: Production fleet for the DR tier costs: chapter 5's default fleet of m5.large-sized VMs.
DEFAULT_FLEET_VMS = 960
#: The two setups of the panel: an owned VM protected by snapshots, a cloud database with a replica.
SETUPS = ("VM with snapshots", "replicated cloud")

MIB_PER_GIB = 1024
SECONDS_PER_HOUR = 3600.0

register_schema(
    "recovery_parameters",
    "The recovery calculator's inputs as the panel offers them: default, range, unit and source.",
    panel_parameter_columns("compare_setups"),
    key="name",
)

register_schema(
    "dr_tiers",
    "AWS's four disaster-recovery strategies: RPO and RTO ranges, AWS's relative cost, standby capacity.",
    [
        Column("tier", "str", "Tier identifier."),
        Column("tier_label", "str", "Tier name shown in charts."),
        Column("tier_order", "int", "1 = cheapest, 4 = dearest.", minimum=1, maximum=4),
        Column("rpo_low_s", "float", "Lowest RPO the tier is described with.", unit="s", minimum=0),
        Column("rpo_high_s", "float", "Highest RPO the tier is described with.", unit="s", minimum=0),
        Column("rto_low_s", "float", "Lowest RTO the tier is described with.", unit="s", minimum=0),
        Column("rto_high_s", "float", "Highest RTO the tier is described with.", unit="s", minimum=0),
        Column("aws_words", "str", "How AWS words the tier's objectives."),
        Column("aws_cost_rank", "int", "AWS's relative cost: the number of $ signs in the whitepaper's figure.",
               minimum=1, maximum=4),
        Column("standby_compute_share", "float", "Compute kept running in the recovery site, as a share of "
               "production (our assumption, see note).", unit="fraction", minimum=0, maximum=1),
        Column("standby_share_low", "float", "Low end of that assumption.", unit="fraction", minimum=0, maximum=1),
        Column("standby_share_high", "float", "High end of that assumption.", unit="fraction", minimum=0,
               maximum=1),
        Column("live_replica", "bool", "True if a live copy of the data is kept in the recovery site."),
        Column("what_runs", "str", "What runs in the recovery site before a disaster."),
        Column("source", "str", "Where the tier's description comes from."),
        Column("source_url", "str", "Address of the source."),
        Column("note", "str", "How the numbers were read, and what is assumed."),
    ],
    key="tier",
)


# ----------------------------------------------------------------------------------- the calculator

def _hours(name: str, value, *, minimum: float = 0.0, maximum: float = 8760.0) -> float:
    return require_number(name, value, minimum=minimum, maximum=maximum, unit="h")


def _minutes(name: str, value, *, minimum: float = 0.0, maximum: float = 10080.0) -> float:
    return require_number(name, value, minimum=minimum, maximum=maximum, unit="min")


def worst_case_data_loss_s(*, failure: str, backup_interval_h: float, backup_duration_min: float = 0.0,
                           copy_delay_h: float = 0.0, replication: str = "none", replication_lag_s: float = 0.0,
                           detection_min: float = 0.0, point_in_time: bool = False) -> float:
    """Worst-case data loss in seconds (the RPO a setup can promise) for one ``failure``.

    ``failure``: ``"site loss"`` or ``"data corruption"``; ``backup_interval_h`` (0.01-8,760 h)
    between backups or snapshots; ``backup_duration_min`` (0-10,080) for one to complete;
    ``copy_delay_h`` (0-8,760) until a finished backup is safe off the site; ``replication``:
    ``"none"``, ``"asynchronous"`` or ``"synchronous"``; ``replication_lag_s`` (0-86,400) of an
    asynchronous replica; ``detection_min`` (0-10,080) from the damage to its detection
    (counts only for corruption, whose undetected writes are lost too); ``point_in_time``
    (True or False): the backups are a continuous log that can be restored to any moment,
    so against corruption only the undetected writes are lost (``backup_interval_h`` is
    then how often the log is shipped, which counts for a site loss).
    """
    require_choice("failure", failure, FAILURES)
    require_choice("replication", replication, REPLICATION)
    interval = _hours("backup_interval_h", backup_interval_h, minimum=0.01)
    duration = _minutes("backup_duration_min", backup_duration_min)
    copy_delay = _hours("copy_delay_h", copy_delay_h)
    lag = require_number("replication_lag_s", replication_lag_s, minimum=0, maximum=86_400, unit="s")
    detection = _minutes("detection_min", detection_min)
    continuous = require_flag("point_in_time", point_in_time)
    from_backup = interval * SECONDS_PER_HOUR + duration * 60
    if failure == DATA_CORRUPTION:
        return detection * 60 if continuous else from_backup + detection * 60
    if replication == "synchronous":
        return 0.0
    if replication == "asynchronous":
        return lag
    return from_backup + copy_delay * SECONDS_PER_HOUR


def _restores_from_backup(failure: str, replication: str) -> bool:
    return failure == DATA_CORRUPTION or replication == "none"


def recovery_time_s(*, failure: str, replication: str, detection_min: float, data_gib: float, restore_mib_s: float,
                    provision_min: float = DEFAULT_PROVISION_MIN, failover_min: float = 2.0) -> float:
    """Worst-case recovery time in seconds (the RTO a setup can promise).

    A site loss with a replica fails over (``detection_min`` + ``failover_min``); anything
    else restores from a backup: ``detection_min`` + ``provision_min`` (start replacement
    servers) + ``data_gib`` (0.001-1,048,576 GiB) / ``restore_mib_s`` (1-100,000 MiB/s).
    Times in minutes, 0-10,080 each.
    """
    return recovery_breakdown(failure=failure, replication=replication, detection_min=detection_min,
                              data_gib=data_gib, restore_mib_s=restore_mib_s, provision_min=provision_min,
                              failover_min=failover_min, backup_interval_h=1.0)["rto_s"]


def recovery_breakdown(*, failure: str, replication: str, detection_min: float, data_gib: float, restore_mib_s: float,
                       backup_interval_h: float, provision_min: float = DEFAULT_PROVISION_MIN,
                       failover_min: float = 2.0, backup_duration_min: float = 0.0, copy_delay_h: float = 0.0,
                       replication_lag_s: float = 0.0, point_in_time: bool = False) -> dict:
    """RPO and RTO of one setup with every part of the RTO: detection, provisioning, restore, failover (s).

    Returns ``{"path", "rpo_s", "rto_s", "detection_s", "provision_s", "restore_s", "failover_s"}``;
    ``path`` is ``"restore from backup"`` or ``"fail over to replica"``. Parameters as in
    :func:`worst_case_data_loss_s` and :func:`recovery_time_s`.
    """
    require_choice("failure", failure, FAILURES)
    require_choice("replication", replication, REPLICATION)
    detection = _minutes("detection_min", detection_min)
    data = require_number("data_gib", data_gib, minimum=0.001, maximum=1_048_576, unit="GiB")
    throughput = require_number("restore_mib_s", restore_mib_s, minimum=1, maximum=100_000, unit="MiB/s")
    provision = _minutes("provision_min", provision_min)
    failover = _minutes("failover_min", failover_min)
    rpo = worst_case_data_loss_s(failure=failure, backup_interval_h=backup_interval_h,
                                 backup_duration_min=backup_duration_min, copy_delay_h=copy_delay_h,
                                 replication=replication, replication_lag_s=replication_lag_s,
                                 detection_min=detection, point_in_time=point_in_time)
    parts = {"detection_s": detection * 60, "provision_s": 0.0, "restore_s": 0.0, "failover_s": 0.0}
    if _restores_from_backup(failure, replication):
        path = "restore from backup"
        parts["provision_s"] = provision * 60
        parts["restore_s"] = data * MIB_PER_GIB / throughput
    else:
        path = "fail over to replica"
        parts["failover_s"] = failover * 60
    return {"path": path, "rpo_s": rpo, "rto_s": sum(parts.values()), **parts}


@functools.lru_cache(maxsize=1)
def _parameters_cached() -> pd.DataFrame:
    return load("recovery_parameters")


def recovery_parameters() -> pd.DataFrame:
    """The panel's inputs with default, range, unit and source (``data/recovery_parameters.csv``)."""
    return _parameters_cached().copy()


def recovery_defaults() -> dict[str, float]:
    """Default of every input of :func:`compare_setups` that has one in the data, by name."""
    table = _parameters_cached()
    return dict(zip(table["name"], table["default"].astype(float)))


def compare_setups(*, failure: str = SITE_LOSS, data_gib: float, detection_min: float, snapshot_interval_h: float,
                   restore_mib_s: float, replication: str = "asynchronous", replication_lag_s: float,
                   failover_min: float, provision_min: float = DEFAULT_PROVISION_MIN,
                   snapshot_duration_min: float = 0.0, cloud_backup_interval_h: float = CLOUD_BACKUP_INTERVAL_H
                   ) -> pd.DataFrame:
    """The two setups of :data:`SETUPS` side by side for one ``failure``.

    * *VM with snapshots*: one VM, a snapshot every ``snapshot_interval_h`` taking
      ``snapshot_duration_min``, no replica; recovery restores ``data_gib`` at
      ``restore_mib_s`` onto a server started in ``provision_min``.
    * *replicated cloud*: a database with a ``replication`` replica (``replication_lag_s``
      behind) that takes ``failover_min`` to promote, plus point-in-time recovery whose log
      is shipped every ``cloud_backup_interval_h`` (default 5 min), restored at the same throughput.

    Both detect the failure in ``detection_min``. Returns one row per setup with columns
    setup, path, rpo_s, rto_s, detection_s, provision_s, restore_s, failover_s.
    """
    # inputs handed on under another name are checked under their own first
    snapshot_interval_h = _hours("snapshot_interval_h", snapshot_interval_h, minimum=0.01)
    snapshot_duration_min = _minutes("snapshot_duration_min", snapshot_duration_min)
    cloud_backup_interval_h = _hours("cloud_backup_interval_h", cloud_backup_interval_h, minimum=0.01)
    common = dict(failure=failure, detection_min=detection_min, data_gib=data_gib, restore_mib_s=restore_mib_s,
                  provision_min=provision_min)
    vm = recovery_breakdown(**common, replication="none", backup_interval_h=snapshot_interval_h,
                            backup_duration_min=snapshot_duration_min, failover_min=0.0)
    cloud = recovery_breakdown(**common, replication=replication, replication_lag_s=replication_lag_s,
                               failover_min=failover_min, backup_interval_h=cloud_backup_interval_h,
                               point_in_time=True)
    return pd.DataFrame([{"setup": SETUPS[0], **vm}, {"setup": SETUPS[1], **cloud}])


# ------------------------------------------------------------------------------------------ DR tiers

@functools.lru_cache(maxsize=1)
def _tiers_cached() -> pd.DataFrame:
    return load("dr_tiers").sort_values("tier_order").reset_index(drop=True)


def dr_tiers() -> pd.DataFrame:
    """AWS's four disaster-recovery strategies, cheapest first (``data/dr_tiers.csv``)."""
    return _tiers_cached().copy()


def cheapest_tier_meeting(*, rpo_s: float, rto_s: float) -> str:
    """The cheapest AWS tier whose stated ranges reach the objectives: RPO and RTO at most ``rpo_s``, ``rto_s``.

    A tier qualifies if the low end of its RPO range is at most ``rpo_s`` and the
    low end of its RTO range at most ``rto_s`` (it *can* be built to meet them).
    Objectives in seconds, 0-31,536,000 (a year). Returns the tier identifier.
    """
    rpo = require_number("rpo_s", rpo_s, minimum=0, maximum=31_536_000, unit="s")
    rto = require_number("rto_s", rto_s, minimum=0, maximum=31_536_000, unit="s")
    for row in _tiers_cached().itertuples():
        if row.rpo_low_s <= rpo and row.rto_low_s <= rto:
            return row.tier
    return _tiers_cached()["tier"].iloc[-1]


def _cost_model() -> dict:
    """THE adapter to chapter 5's cost model: one on-demand price, one storage price, two cost functions.

    ``helpers.cost`` stays the entry point while it is split into several files; only
    its public functions are used here.
    """
    from . import cost

    defaults = cost.default_parameters()
    return {"on_demand_usd_per_hour": float(defaults["on_demand_usd_per_hour"]),
            "storage_usd_per_gb_month": float(defaults["cloud_storage_usd_per_gb_month"]),
            "storage_gb_per_vm": float(defaults["storage_gb_per_instance"]),
            "compute_usd": cost.on_demand_cost_usd, "storage_usd_per_month": cost.storage_cost_usd_per_month,
            "hours_per_month": float(cost.HOURS_PER_MONTH)}


def fleet_data_gib(fleet_vms: int = DEFAULT_FLEET_VMS) -> float:
    """Data the production fleet stores: ``fleet_vms`` (1-1,000,000) x chapter 5's storage per VM (GiB).

    Chapter 5's default is 50 GB of block storage per VM (``storage_gb_per_instance``),
    so the default fleet of 960 VMs stores 48,000 GiB (AWS's "GB-month" is a binary GiB).
    """
    fleet = require_integer("fleet_vms", fleet_vms, minimum=1, maximum=1_000_000)
    return fleet * _cost_model()["storage_gb_per_vm"]


def clean_backup_survives(*, lock_days: float, dwell_days: float = RANSOMWARE_DWELL_DAYS) -> bool:
    """Whether a backup taken before a ransomware intrusion is still undeletable when the encryption starts.

    Attackers with the victim's credentials delete the backups they can reach before they
    encrypt. A backup taken just before they got in is protected only if it is locked
    (S3 Object Lock in compliance mode, AWS Backup Vault Lock, or offline) for longer than
    they stay unseen: ``lock_days`` (0-36,500; 0: no lock) > ``dwell_days`` (0-36,500,
    default :data:`RANSOMWARE_DWELL_DAYS`).
    """
    lock = require_number("lock_days", lock_days, minimum=0, maximum=36_500, unit="days")
    dwell = require_number("dwell_days", dwell_days, minimum=0, maximum=36_500, unit="days")
    return lock > dwell


def dr_tier_costs(*, fleet_vms: int = DEFAULT_FLEET_VMS, data_gib: float | None = None,
                  standby_shares: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Monthly cost of each DR tier on top of production, priced with chapter 5's cost model.

    Production: ``fleet_vms`` (1-1,000,000) m5.large-sized VMs on demand around the clock
    and ``data_gib`` (0-10,000,000 GiB; default: what the fleet stores, :func:`fleet_data_gib`,
    48,000 GiB for the default fleet) of block storage (AWS's "GB-month" of EBS is a binary GiB).
    A tier adds its standby compute
    (``standby_compute_share`` of the fleet, or ``standby_shares[tier]`` in 0..1), one backup
    copy of the data in the recovery site, and a live replica of the data if it keeps one.
    Columns: tier, tier_label, standby_vms, compute_usd_per_month, storage_usd_per_month,
    total_usd_per_month, share_of_production, aws_cost_rank. A floor: cross-Region data transfer,
    licences and the staff who rehearse failovers are left out.
    """
    fleet = require_integer("fleet_vms", fleet_vms, minimum=1, maximum=1_000_000)
    data = fleet_data_gib(fleet) if data_gib is None else require_number("data_gib", data_gib, minimum=0,
                                                                           maximum=10_000_000, unit="GiB")
    tiers = dr_tiers()
    shares = dict(zip(tiers["tier"], tiers["standby_compute_share"].astype(float)))
    for tier, share in require_mapping("standby_shares", standby_shares, tuple(shares)).items():
        shares[tier] = require_number(f"standby_shares[{tier!r}]", share, minimum=0, maximum=1)
    model = _cost_model()
    hours = model["hours_per_month"]
    production = (model["compute_usd"](fleet * hours, model["on_demand_usd_per_hour"])
                  + model["storage_usd_per_month"](data, model["storage_usd_per_gb_month"]))
    rows = []
    for tier in tiers.itertuples():
        standby = shares[tier.tier] * fleet
        compute = model["compute_usd"](standby * hours, model["on_demand_usd_per_hour"])
        copies = 1 + (1 if tier.live_replica else 0)
        storage = model["storage_usd_per_month"](copies * data, model["storage_usd_per_gb_month"])
        rows.append({"tier": tier.tier, "tier_label": tier.tier_label, "standby_vms": standby,
                     "compute_usd_per_month": compute, "storage_usd_per_month": storage,
                     "total_usd_per_month": compute + storage,
                     "share_of_production": (compute + storage) / production,
                     "aws_cost_rank": int(tier.aws_cost_rank)})
    return pd.DataFrame(rows)
