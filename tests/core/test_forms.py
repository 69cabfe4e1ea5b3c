"""The KERN form renderer ties every field to its label, help text and error (WCAG 1.3.1, 3.3.1)."""

from __future__ import annotations

from html.parser import HTMLParser

from django import forms


class _Elements(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    def by_id(self, element_id: str) -> tuple[str, dict[str, str]]:
        matches = [e for e in self.elements if e[1].get("id") == element_id]
        assert len(matches) == 1, f"expected exactly one element with id {element_id!r}"
        return matches[0]

    def all(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [
            a
            for t, a in self.elements
            if t == tag and all(a.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]


class SampleForm(forms.Form):
    name = forms.CharField(label="Name", help_text="Wie im Pass")
    notes = forms.CharField(label="Notizen", widget=forms.Textarea, required=False)
    born_on = forms.DateField(label="Geburtsdatum")
    status = forms.ChoiceField(label="Status", choices=[("", "—"), ("a", "Duldung")])
    language = forms.ChoiceField(
        label="Sprache", choices=[("de", "Deutsch"), ("ar", "Arabisch")], widget=forms.RadioSelect
    )
    consent = forms.BooleanField(label="Einwilligung liegt vor")
    document = forms.FileField(label="Dokument", required=False)
    fields = forms.MultipleChoiceField(
        label="Handlungsfelder",
        choices=[("sprache", "Sprache"), ("arbeit", "Arbeit")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean(self):
        raise forms.ValidationError("Die Angaben widersprechen sich.")


def _render_invalid() -> tuple[SampleForm, _Elements, str]:
    form = SampleForm(data={"notes": "x", "born_on": "kein Datum", "status": "z"})
    assert not form.is_valid()
    html = str(form)
    return form, _Elements(html), html


def test_invalid_field_has_aria_invalid_and_describedby_its_error_and_help():
    _, page, _ = _render_invalid()

    tag, attrs = page.by_id("id_name")
    assert tag == "input"
    assert attrs["aria-invalid"] == "true"
    described = attrs["aria-describedby"].split()
    assert set(described) == {"id_name_helptext", "id_name_error"}
    for target in described:
        page.by_id(target)  # every reference resolves to exactly one element
    assert "kern-form-input__input--error" in attrs["class"].split()


def test_valid_field_is_not_marked_invalid():
    _, page, _ = _render_invalid()

    _, notes = page.by_id("id_notes")
    assert "aria-invalid" not in notes
    assert "kern-form-input__input" in notes["class"].split()
    assert "kern-form-input__input--error" not in notes["class"].split()


def test_error_text_sits_at_the_field():
    form, page, html = _render_invalid()

    error_start = html.index('id="id_name_error"')
    field_group_start = html.rindex('class="kern-form-input', 0, error_start)
    field_group_end = html.index("</div>", html.index('id="id_name"'))
    assert field_group_start < error_start < field_group_end
    assert form.errors["name"][0] in html[error_start:field_group_end]


def test_error_summary_links_to_every_invalid_field_and_lists_form_errors():
    form, page, html = _render_invalid()

    summary = page.all("div", data_lotse_error_summary="")
    assert len(summary) == 1 and summary[0]["role"] == "alert"
    links = {a["href"] for a in page.all("a") if a.get("href", "").startswith("#")}
    expected = {"#id_name", "#id_born_on", "#id_status", "#id_language_0", "#id_consent"}
    assert links == expected
    for href in links:
        page.by_id(href[1:])
    assert "Die Angaben widersprechen sich." in html


def test_widgets_get_kern_markup():
    _, page, html = _render_invalid()

    assert page.by_id("id_born_on")[1]["type"] == "date"
    select_tag, select = page.by_id("id_status")
    assert select_tag == "select"
    assert "kern-form-input__select--error" in select["class"].split()
    assert 'class="kern-form-input__select-wrapper"' in html
    assert "kern-form-check__checkbox" in page.by_id("id_consent")[1]["class"]
    radio = page.by_id("id_language_0")[1]
    assert radio["type"] == "radio" and "kern-form-check__radio" in radio["class"]
    assert page.by_id("id_document")[1]["type"] == "file"
    several = page.by_id("id_fields_1")[1]
    assert several["type"] == "checkbox" and "kern-form-check__checkbox" in several["class"]
    assert "kern-form-input__input" in page.by_id("id_notes")[1]["class"]
    fieldsets = page.all("fieldset")
    assert [f.get("aria-describedby") for f in fieldsets] == ["id_language_error", None]


def test_required_fields_are_marked_and_labelled():
    _, page, html = _render_invalid()

    labels = {a["for"] for a in page.all("label") if "for" in a}
    assert {"id_name", "id_born_on", "id_status", "id_consent", "id_notes"} <= labels
    assert html.count('class="lotse-required"') == 5  # name, born_on, status, language, consent
    assert "required" in page.by_id("id_name")[1]


def test_date_value_is_rendered_in_iso_format_for_the_date_input():
    import datetime as dt

    form = SampleForm(initial={"born_on": dt.date(1999, 12, 31)})
    page = _Elements(str(form))

    assert page.by_id("id_born_on")[1]["value"] == "1999-12-31"


def test_unbound_form_has_no_error_markup():
    html = str(SampleForm())

    assert "data-lotse-error-summary" not in html
    assert "aria-invalid" not in html
    assert "kern-error" not in html
