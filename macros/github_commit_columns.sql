{#- The columns of a GitHub commit object, the same in `/commits` and `/pulls/{n}/commits`:
    message, who (hashed: logins, git names and emails are people identifiers) and when. -#}
{% macro github_commit_columns() -%}
        commit__message as commit_message,
        {{ hash_identity('author__login') }} as author_key,
        author__type as author_type,
        {{ is_github_bot('author__type', 'author__login') }} as is_bot,
        {{ hash_identity('committer__login') }} as committer_key,
        committer__type as committer_type,
        {{ hash_identity('commit__author__email') }} as git_author_email_key,
        {{ hash_identity('commit__author__name') }} as git_author_name_key,
        {{ hash_identity('commit__committer__email') }} as git_committer_email_key,
        {{ hash_identity('commit__committer__name') }} as git_committer_name_key,
        {{ to_utc_timestamp('commit__author__date') }} as authored_at,
        {{ to_utc_timestamp('commit__committer__date') }} as committed_at,
{%- endmacro %}
