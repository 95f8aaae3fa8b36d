"""A transition table helper that every app's workflow.py uses."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from kechuang.core.errors import TransitionNotAllowed


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str


class Workflow:
    def __init__(self, transitions: dict[str, tuple[set[str], str]]):
        self.transitions = {
            action: Transition(frozenset(sources), target) for action, (sources, target) in transitions.items()
        }

    def target(self, current: str, action: str) -> str:
        transition = self.transitions.get(action)
        if transition is None or current not in transition.sources:
            raise TransitionNotAllowed(_("This action is not allowed in the current status."))
        return transition.target

    def allows(self, current: str, action: str) -> bool:
        transition = self.transitions.get(action)
        return transition is not None and current in transition.sources

    def actions_from(self, current: str) -> list[str]:
        return [action for action, transition in self.transitions.items() if current in transition.sources]
