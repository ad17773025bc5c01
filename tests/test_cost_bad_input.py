"""Bad input to the cost model: what only the cost model knows (the generic layer does the rest).

``tests/test_bad_input.py`` attacks every parameter of every public helper (bools, NaN, inf, strings,
None, wrong tables ...). What it cannot know is kept here: every row of ``cost_assumptions.csv`` is a
model parameter with its own range, refused by name through the door every engine uses
(:func:`helpers.cost.resolve_parameters`); values that are numbers but outside a parameter's meaning
(a 2-year savings-plan term, half a host, a discount of 100 %, a capacity below the peak, a sale
past 31 December) are refused, not computed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import cost

PARAMETERS = list(cost.cost_parameters().index)
#: Bad values every numeric parameter must refuse.
BAD_NUMBERS = [True, False, "0.1", None, float("nan"), float("inf"), -1e12, 1e12, [0.1], np.bool_(True)]


@pytest.mark.parametrize("name", PARAMETERS)
@pytest.mark.parametrize("bad", BAD_NUMBERS, ids=repr)
def test_every_parameter_refuses_bad_values_everywhere(name, bad):
    """Through resolve_parameters (the door every engine goes through) and through a result function."""
    with pytest.raises(ValueError, match=name):
        cost.resolve_parameters({name: bad})
    with pytest.raises(ValueError, match=name):
        cost.break_even_utilization(**{name: bad})


@pytest.mark.parametrize(("name", "bad"), [
    ("spare_hosts", 1.5), ("licence_min_cores_per_cpu", 15.5), ("vms_per_host", 191.5),  # counts are whole
    ("savings_plan_term_years", 2), ("cost_of_capital", 1.5), ("vm_cpu_utilization", 1.01),
    ("spot_discount", 1.0), ("savings_plan_discount_3y", 1.0), ("spot_job_hours", -1), ("egress_usd_per_gb", -0.01),
    ("post_warranty_support_fraction", -0.1), ("facility_opex_usd_per_kw_month", -5),
    ("licence_usd_per_core_year", -135), ("spot_interruption_rate", -0.05),
])
def test_new_parameters_refuse_values_outside_their_range(name, bad):
    with pytest.raises(ValueError, match=name):
        cost.costs_at_utilization(0.3, **{name: bad})


BAD_CALLS = [
    (cost.server_capital_usd_per_month, dict(server_price_usd=0, server_lifetime_years=5), "server_price_usd"),
    (cost.server_capital_usd_per_month, dict(server_price_usd=15000, server_lifetime_years=-1),
     "server_lifetime_years"),
    (cost.server_capital_usd_per_month, dict(server_price_usd=15000, server_lifetime_years=5, cost_of_capital=-0.01),
     "cost_of_capital"),
    (cost.annuity_usd_per_month, dict(principal_usd=-1, years=5), "principal_usd"),
    (cost.annuity_usd_per_month, dict(principal_usd=1, years=0), "years"),
    (cost.server_power_w, dict(utilization=1.5), "utilization"),
    (cost.server_power_w, dict(utilization=[0.1, float("nan")]), "utilization"),
    (cost.server_power_w, dict(utilization=0.5, server="Cray-1"), "server"),
    (cost.host_cpu_load, dict(running_vms=-1, hosts=1, vm_cpu_utilization=0.2), "running_vms"),
    (cost.host_cpu_load, dict(running_vms=1, hosts=-1, vm_cpu_utilization=0.2), "hosts"),
    (cost.energy_cost_usd_per_month, dict(power_w=-1, pue=1.5, electricity_usd_per_kwh=0.1), "power_w"),
    (cost.energy_cost_usd_per_month, dict(power_w=100, pue=0.9, electricity_usd_per_kwh=0.1), "pue"),
    (cost.storage_cost_usd_per_month, dict(storage_gb=1, usd_per_gb_month=float("nan")), "usd_per_gb_month"),
    (cost.staff_cost_usd_per_server_month, dict(admin_salary_usd_per_year=1, servers_per_admin=0),
     "servers_per_admin"),
    (cost.facility_cost_usd_per_month, dict(peak_power_w=-1, facility_usd_per_w=16, facility_lifetime_years=15),
     "peak_power_w"),
    (cost.facility_operations_usd_per_month, dict(peak_power_w=800, facility_opex_usd_per_kw_month=-1),
     "facility_opex_usd_per_kw_month"),
    (cost.post_warranty_support_usd_per_month, dict(server_price_usd=1, post_warranty_support_fraction=0.1,
                                                    server_lifetime_years=5, warranty_years=-1), "warranty_years"),
    (cost.support_years_paid, dict(horizon_years=0, server_lifetime_years=5), "horizon_years"),
    (cost.licensed_cores, dict(cpus=0, cores_per_cpu=8), "cpus"),
    (cost.licensed_cores, dict(cpus=2, cores_per_cpu=8.5), "cores_per_cpu"),
    (cost.licensed_cores, dict(cpus=2, cores_per_cpu=8, licence_min_cores_per_cpu=-16), "licence_min_cores_per_cpu"),
    (cost.licence_usd_per_host_month, dict(licence_usd_per_core_year=135, server="x"), "server"),
    (cost.hosts_needed, dict(peak_instances=10, vms_per_host=2.5), "vms_per_host"),
    (cost.years_paid_factor, dict(horizon_years=5, lifetime_years=0), "lifetime_years"),
    (cost.savings_plan_discount, dict(savings_plan_term_years=2, savings_plan_discount_1y=0.3,
                                      savings_plan_discount_3y=0.5), "savings_plan_term_years"),
    (cost.commitment_factor, dict(horizon_years=5, savings_plan_term_years=5), "savings_plan_term_years"),
    (cost.optimal_commitment_instances, dict(demand_instances_per_hour=[], savings_plan_discount=0.3),
     "demand_instances_per_hour"),
    (cost.optimal_commitment_instances, dict(demand_instances_per_hour=[1], savings_plan_discount=1.0),
     "savings_plan_discount"),
    (cost.savings_plan_cost_usd, dict(demand_instances_per_hour=[1], committed_instances=-1,
                                      on_demand_usd_per_hour=0.1, savings_plan_discount=0.3), "committed_instances"),
    (cost.spot_billed_hours, dict(useful_hours=-1, spot_interruption_rate=0.1, spot_job_hours=1), "useful_hours"),
    (cost.spot_billed_hours, dict(useful_hours=1, spot_interruption_rate=0.1, spot_job_hours=-1), "spot_job_hours"),
    (cost.spot_billed_hours, dict(useful_hours=1, spot_interruption_rate=100, spot_job_hours=8760),
     "spot_job_hours x spot_interruption_rate"),
    (cost.spot_cost_usd, dict(useful_hours=1, on_demand_usd_per_hour=0.1, spot_discount=1.0,
                              spot_interruption_rate=0.1, spot_job_hours=1), "spot_discount"),
    (cost.on_demand_cost_usd, dict(instance_hours=-1, on_demand_usd_per_hour=0.1), "instance_hours"),
    (cost.on_demand_cost_usd, dict(instance_hours=1, on_demand_usd_per_hour=0), "on_demand_usd_per_hour"),
    (cost.egress_cost_usd, dict(gb=-1, egress_usd_per_gb=0.09), "gb"),
    (cost.egress_cost_usd, dict(gb=1, egress_usd_per_gb=True), "egress_usd_per_gb"),
    (cost.billed_seconds, dict(durations_s="60", granularity="hour"), "durations_s"),
    (cost.billed_seconds, dict(durations_s=[60], granularity="minute"), "granularity"),
    (cost.billing_comparison, dict(durations_s=[5], billing_minimum_s=7200), "billing_minimum_s"),
    (cost.cloud_price_table, dict(article_usd_per_core_hour=0), "article_usd_per_core_hour"),
    (cost.demand_profile, dict(days=5, spike_start_day=3, spike_days=3), "spike_days"),
    (cost.demand_profile, dict(seed=1.5), "seed"),
    (cost.monthly_cost_by_option, dict(demand_instances_per_hour=[1, float("inf")]), "demand_instances_per_hour"),
    (cost.monthly_cost_by_option, dict(demand_instances_per_hour=[10], capacity_instances=5), "capacity_instances"),
    (cost.monthly_cost_by_option, dict(demand_instances_per_hour=[10], no_such_parameter=1), "parameter name"),
    (cost.monthly_cost_by_option, dict(demand_instances_per_hour=[10], savings_plan_term_years=2),
     "savings_plan_term_years"),
    (cost.cost_table, dict(costs=pd.DataFrame({"a": [1]})), "costs"),
    (cost.cost_over_horizon, dict(demand_instances_per_hour=[10], horizon_years=-1), "horizon_years"),
    (cost.costs_at_utilization, dict(utilization=-0.1), "utilization"),
    (cost.costs_at_utilization, dict(utilization=0.5, capacity_instances=0), "capacity_instances"),
    (cost.cost_curves, dict(utilization=[0.5, 2.0]), "utilization"),
    (cost.utilization_knots, dict(capacity_instances=-1), "capacity_instances"),
    (cost.break_even_utilization, dict(against="mainframe"), "against"),
    (cost.break_even_utilization, dict(horizon_years=40), "horizon_years"),
    (cost.monthly_saving_usd, dict(utilization=2), "utilization"),
    (cost.licence_at_break_even, dict(utilization=0.3, against="lease"), "against"),
    (cost.sensitivity, dict(output="profit"), "output"),
    (cost.sensitivity, dict(preset="free lunch"), "preset"),
    (cost.preset_parameters, dict(preset="VMware"), "preset"),
    (cost.preset_break_evens, dict(capacity_instances=0), "capacity_instances"),
    (cost.break_even_walk, dict(start="x"), "start"),
    (cost.break_even_walk, dict(end=3), "end"),
    (cost.owned_costs_per_host_month, dict(horizon_years=-2), "horizon_years"),
    (cost.double11_case, dict(peak_days=60), r"peak_days must be in \[0, 53\]"),
    (cost.double11_demand, dict(peak_multiplier=0.5), "peak_multiplier"),
    (cost.double11_article_requirements, dict(peak_multiplier=1), "peak_multiplier"),
    (cost.power_curve, dict(server="x"), "server"),
    (cost.server_spec, dict(server="x"), "server"),
    (cost.resolve_parameters, dict(overrides="abc"), "overrides"),
    (cost.resolve_parameters, dict(overrides={"vms_per_host": True}), "vms_per_host"),
    (cost.validate_cost_assumptions, dict(table=pd.DataFrame()), "table"),
]


@pytest.mark.parametrize(("function", "kwargs", "name"), BAD_CALLS,
                         ids=[f"{f.__name__}-{i}" for i, (f, _, _) in enumerate(BAD_CALLS)])
def test_bad_input_names_the_parameter(function, kwargs, name):
    with pytest.raises(ValueError, match=name):
        function(**kwargs)
