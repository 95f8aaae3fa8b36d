"""Walks every URL pattern of the project. Each must declare its policy, and each must appear
in an app's ACCESS_CASES, called by at least one allowed persona and (unless public) one
refused persona. Adding a view without both makes this test fail."""

import functools
import importlib

from django.apps import apps
from django.urls import get_resolver
from ninja.constants import NOT_SET

from config.api import api
from kechuang.accounts.authentication import anonymous
from kechuang.core.policies import PUBLIC

# Framework views that are not ours to decorate: the API root only answers 404 naming the docs URL.
FRAMEWORK_VIEWS = {"api:api-root": PUBLIC}


def walk(patterns, namespace=""):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, inner)
        else:
            yield f"{namespace}{pattern.name}", pattern


def api_operation_policies():
    """An API operation's policy is its authentication (inherited from the router or the API
    unless set on the operation); object rules then come from the same selectors as the pages."""
    policies = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                auth = operation.auth_param
                if auth is NOT_SET:
                    auth = router.auth if router.auth is not NOT_SET else api.auth
                if auth and anonymous in auth:
                    policies[f"api:{operation.url_name}"] = PUBLIC
                else:
                    policies[f"api:{operation.url_name}"] = "api-auth" if auth else None
    return policies


def declared_policy(name, callback):
    if name in FRAMEWORK_VIEWS:
        return FRAMEWORK_VIEWS[name]
    target = callback.func if isinstance(callback, functools.partial) else callback
    if hasattr(target, "policy"):
        return target.policy
    return api_operation_policies().get(name)


def all_access_cases():
    cases = []
    for config in apps.get_app_configs():
        if not config.name.startswith("kechuang."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.test_access")
        except ModuleNotFoundError:
            continue
        cases.extend(module.ACCESS_CASES)
    return cases


def test_every_url_declares_a_policy():
    missing = [name for name, pattern in walk(get_resolver().url_patterns)
               if declared_policy(name, pattern.callback) is None]
    assert missing == [], f"URL patterns without a declared policy: {missing}"


def test_every_url_is_called_as_an_allowed_and_a_denied_persona():
    covered_allowed, covered_denied = set(), set()
    for case in all_access_cases():
        if case.allowed:
            covered_allowed.add(case.url_name)
        if case.denied:
            covered_denied.add(case.url_name)
    problems = []
    for name, pattern in walk(get_resolver().url_patterns):
        if name not in covered_allowed:
            problems.append(f"{name}: no allowed persona in any ACCESS_CASES")
        if declared_policy(name, pattern.callback) != PUBLIC and name not in covered_denied:
            problems.append(f"{name}: no denied persona in any ACCESS_CASES")
    assert problems == []


def test_the_walker_sees_a_view_without_policy():
    def naked_view(request):
        return None

    assert declared_policy("x:naked", naked_view) is None
