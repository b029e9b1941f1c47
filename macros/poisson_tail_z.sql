{#- The one-sided Poisson tail P(X >= observed | expected) as a normal z-score, for a count
    against the count a rate expects (both double precision SQL expressions, expected > 0).
    Wilson-Hilferty: P(X >= k) = P(Gamma(k) <= expected), and (Gamma(k) / k)^(1/3) is close to
    normal with mean 1 - 1/(9k) and variance 1/(9k); within about 0.3 of the exact z for k of 1
    to 5 and on the conservative side in the far tail. A count of 0 is the plain Poisson z,
    -sqrt(expected).
    The exponent is a double on every engine: Spark reads `1.0 / 3.0` as DECIMAL division and
    rounds it to 0.333333, which moved Spark's z by up to 3.5e-06 relative (issue 27). -#}
{% macro poisson_tail_z(observed, expected) -%}
    case
        when {{ observed }} = 0 then 0.0 - sqrt({{ expected }})
        else 3.0 * sqrt({{ observed }})
            * (
                1.0 - 1.0 / (9.0 * {{ observed }})
                - power({{ expected }} / {{ observed }}, cast(1 as double precision) / cast(3 as double precision))
            )
    end
{%- endmacro %}
