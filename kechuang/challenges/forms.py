from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.challenges.models import Challenge, ChallengeList
from kechuang.core.forms import DATE_INPUT, model_form_field
from kechuang.core.validators import parse_whole


class ChallengeListBuildForm(forms.Form):
    year = model_form_field(ChallengeList, "year")
    quarter = forms.TypedChoiceField(label=_("quarter"), coerce=int, choices=[(q, f"Q{q}") for q in range(1, 5)])


class ChallengeForm(forms.ModelForm):
    class Meta:
        model = Challenge
        fields = ["goals", "budget", "deadline", "max_teams", "phase_one_amount", "phases"]
        widgets = {"goals": forms.Textarea(attrs={"rows": 4}), "deadline": DATE_INPUT}


def stage_decisions(post, teams) -> dict[int, tuple[str, int | None]]:
    """{team pk: (decision, merge target pk)} from the race page's per-team fields."""
    decisions = {}
    for team in teams:
        target = post.get(f"target-{team.pk}", "")
        decisions[team.pk] = (post.get(f"decision-{team.pk}", ""), parse_whole(target))
    return decisions
