"""Chat-template checker: real-world benign templates stay clean; injection payloads do not."""

from __future__ import annotations

import io
import json

import pytest

from ptmscope.records import Severity
from ptmscope.risk.base import ScanContext, ScanResult
from ptmscope.risk.chat_template import ChatTemplateScanner, check_template

CHATML = ("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + "
          "message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt "
          "%}{{ '<|im_start|>assistant\\n' }}{% endif %}")
LLAMA2 = ("{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}"
          "{% set system_message = messages[0]['content'] %}{% else %}{% set loop_messages = "
          "messages %}{% set system_message = false %}{% endif %}{% for message in "
          "loop_messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
          "{{ raise_exception('Conversation roles must alternate user/assistant/user/"
          "assistant/...') }}{% endif %}{% if loop.index0 == 0 and system_message != false %}"
          "{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + "
          "message['content'] %}{% else %}{% set content = message['content'] %}{% endif %}"
          "{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + content.strip() + "
          "' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ ' '  + content.strip() + "
          "' ' + eos_token }}{% endif %}{% endfor %}")
NAMESPACE = ("{%- set ns = namespace(found=false) -%}{%- for message in messages -%}"
             "{%- if message['role'] == 'system' -%}{%- set ns.found = true -%}{%- endif -%}"
             "{%- endfor -%}{# a comment with __class__ is ignored #}"
             "{{- tools | tojson(indent=4) if tools else '' }}{{ '__' if false }}")


@pytest.mark.parametrize("template", [CHATML, LLAMA2], ids=["chatml", "llama-2"])
def test_benign_templates_have_no_issues(template: str) -> None:
    assert check_template(template, "chat_template") == []


def test_namespace_usage_and_comments_are_not_flagged() -> None:
    issues = check_template(NAMESPACE.replace("{{ '__' if false }}", ""), "t")
    assert issues == []


@pytest.mark.parametrize("payload,construct", [
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "__class__"),
    ("{{ lipsum.__globals__['os'].popen('id').read() }}", "__globals__"),
    ("{{ cycler.__init__.__globals__.os.popen('id') }}", "__init__"),
    ("{{ joiner.__init__.__globals__ }}", "__init__"),
    ("{{ namespace.__init__.__globals__ }}", "__init__"),
    ("{{ self._TemplateReference__context.cycler }}", "_TemplateReference__context"),
    ("{{ ''|attr('__class__') }}", "__class__"),
    ("{{ ''|attr('\\x5f\\x5fclass\\x5f\\x5f') }}", "__class__"),
    ("{{ ''|attr('\\u005f\\u005fclass\\u005f\\u005f') }}", "__class__"),
    ("{{ ''|attr('__ssalc__'|reverse) }}", "__class__"),
    ("{{ ''|attr('__cla' ~ 'ss__') }}", "__class__"),
    ("{% set u = '_' %}{{ ''|attr(u*2 ~ 'class' ~ u*2) }}", "_"),
    ("{{ ''|attr(x) }}", "attr"),
    ("{{ request.application.__self__ }}", "request"),
    ("{{ config.items() }}", "config"),
    ("{% include '/etc/passwd' %}", "include"),
    ("{% import 'macros.j2' as m %}", "import"),
    ("{{ x.__builtins__ }}", "__builtins__"),
    ("{{ '%c%c%c%c%c%c%c%c%c'|format(95,95,99,108,97,115,115,95,95) }}", "%c%c%c%c%c%c%c%c%c"),
    ("{{ os.system('id') }}", "os"),
], ids=lambda v: v[:40] if isinstance(v, str) else v)
def test_injection_payloads_are_flagged(payload: str, construct: str) -> None:
    issues = check_template(CHATML + payload, "chat_template")
    assert any(i.construct == construct for i in issues), [i.construct for i in issues]
    assert all(i.rule_id.startswith("CHAT-TEMPLATE") for i in issues)
    assert min(i.severity.rank for i in issues) <= Severity.MEDIUM.rank


def test_dunder_payload_is_critical_and_located() -> None:
    [first, *_] = check_template("hello {{ ''.__class__ }}", "chat_template")
    assert first.severity is Severity.CRITICAL
    assert first.location == "chat_template char 12"


def test_raw_block_content_is_literal_text() -> None:
    assert check_template("{% raw %}{{ ''.__class__ }}{% endraw %}ok", "t") == []


@pytest.mark.parametrize("template,rule", [
    ("{{ x " + "(" * 50_000 + " }}", "CHAT-TEMPLATE-INJECTION"),
    ("{{ unclosed", "CHAT-TEMPLATE-SYNTAX"),
    ("{{ 'a' }}" * 200_000, "CHAT-TEMPLATE-SIZE"),
], ids=["deep brackets", "unclosed", "huge"])
def test_hostile_templates_end_with_a_finding(template: str, rule: str) -> None:
    assert rule in {i.rule_id for i in check_template(template, "t")}


def scan(data: bytes, name: str) -> ScanResult:
    return ChatTemplateScanner().scan(io.BytesIO(data), ScanContext(name))


def test_tokenizer_config_string_and_list_templates() -> None:
    config = {"added_tokens_decoder": {str(i): {"content": f"<t{i}>"} for i in range(300)},
              "chat_template": [{"name": "default", "template": CHATML},
                                {"name": "tool_use", "template": "{{ lipsum.__globals__ }}"}]}
    data = json.dumps(config).encode()
    assert ChatTemplateScanner.sniff(data[:4096], "tokenizer_config.json")
    result = scan(data, "tokenizer_config.json")
    assert {i.location.split(" ")[0] for i in result.issues} == {"chat_template[tool_use]"}


def test_jinja_file_is_sniffed_by_content_and_scanned() -> None:
    data = (CHATML + "{{ ''.__class__ }}").encode()
    assert ChatTemplateScanner.sniff(data, "renamed.txt")
    assert scan(data, "renamed.txt").issues


def test_model_card_quoting_templates_is_not_sniffed_and_unclosed_tail_is_not_code() -> None:
    card = b"# Model\n{% for message in messages %}{{ message }}{% endfor %}\n"
    assert not ChatTemplateScanner.sniff(card, "README.md")
    issues = check_template("ok {{ x }} then {{ we eval os things", "t")
    assert [i.rule_id for i in issues] == ["CHAT-TEMPLATE-SYNTAX"]


def test_sniff_ignores_unrelated_json_and_binary() -> None:
    assert not ChatTemplateScanner.sniff(b'{"architectures": ["BertModel"]}', "config.json")
    assert not ChatTemplateScanner.sniff(b"\x80\x04{{ message }}\x00", "x.bin")


def test_broken_json_is_inconclusive() -> None:
    result = scan(b'{"chat_template": "{{ x }}"', "tokenizer_config.json")
    assert result.inconclusive
