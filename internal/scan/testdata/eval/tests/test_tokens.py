"""Format checks of the token helpers. Every value here is fake."""
import pytest

from support_api.tokens import is_hf_token, is_github_token, mask

VALID_LOOKING = [
    "{{!hf-placeholder}}",
    "{{!hf-your}}",
]


def test_rejects_wrong_checksum():
    assert not is_github_token("{{!ghp-badcrc}}")
    assert not is_github_token("{{!gho-badcrc}}")


def test_mask():
    assert mask("hf_abc") == "{{!hf-ellipsis}}"
    assert mask("hf_abcdef") == "{{!hf-masked}}"


@pytest.mark.parametrize("value", ["{{!env-ref}}", "{{!your-token}}", "{{!repeated}}", "{{!sequential}}"])
def test_placeholders(value):
    assert not is_hf_token(value)


def test_fixture_ids():
    assert len("{{!uuid}}") == 36
    assert len("{{!sha1}}") == 40
    assert len("{{!sha256}}") == 64
