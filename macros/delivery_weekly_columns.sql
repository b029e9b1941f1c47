{#- The metric columns of the weekly delivery marts (fct_delivery_team_weekly and
    fct_delivery_org_weekly) with their contract types, in order, so both marts stay in step
    with int_delivery__weekly. Returns a list of (column, type) pairs. -#}
{% macro delivery_weekly_columns() -%}
    {{ return([
        ('deployment_count', 'integer'),
        ('deployment_days', 'integer'),
        ('deployments_trailing_4w', 'integer'),
        ('deployment_frequency_band', 'varchar'),
        ('changes_deployed_count', 'integer'),
        ('change_lead_time_hours', 'double precision'),
        ('change_lead_time_p75_hours', 'double precision'),
        ('change_lead_time_band', 'varchar'),
        ('failed_deployment_count', 'integer'),
        ('change_failure_rate', 'double precision'),
        ('failed_deployment_recovery_time_hours', 'double precision'),
        ('failed_deployment_recovery_time_band', 'varchar'),
        ('rework_deployment_count', 'integer'),
        ('deployment_rework_rate', 'double precision'),
        ('merged_pull_request_count', 'integer'),
        ('coding_time_hours', 'double precision'),
        ('pickup_time_hours', 'double precision'),
        ('review_time_hours', 'double precision'),
        ('deploy_time_hours', 'double precision'),
        ('cycle_time_hours', 'double precision'),
        ('pr_size_lines', 'double precision'),
        ('first_review_time_hours', 'double precision'),
        ('reviewed_pull_request_count', 'integer'),
        ('review_coverage', 'double precision'),
        ('merged_without_approval_count', 'integer'),
        ('merged_without_approval_rate', 'double precision'),
        ('ci_run_count', 'integer'),
        ('ci_success_count', 'integer'),
        ('ci_success_rate', 'double precision'),
        ('ci_flaky_run_count', 'integer'),
        ('ci_flaky_rate', 'double precision'),
        ('ci_duration_minutes', 'double precision'),
    ]) }}
{%- endmacro %}
