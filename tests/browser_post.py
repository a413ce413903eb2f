"""Post a page's form the way a browser does: every field as the page rendered it (pre-filled rows
unchanged, the empty extra row of a formset, unchecked boxes absent), then change what the user
changes. A test that builds the POST by hand can miss what the page really sends — the wizard
lost saved rows that way (issue 13)."""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.in_form = False
        self.forms: list[list[tuple[str, str]]] = []
        self.data: list[tuple[str, str]] = []
        self._select = None  # [name, multiple?, first option value, chosen values]
        self._option = None  # value of the option being read (text decides when no value=)
        self._textarea = None  # [name, text]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_form = True
            self.data = []
            return
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data.append((name, attrs.get("value", "on")))
                return
            self.data.append((name, attrs.get("value") or ""))
        elif tag == "select" and name and "disabled" not in attrs:
            self._select = [name, "multiple" in attrs, None, []]
        elif tag == "option" and self._select is not None:
            value = attrs.get("value")
            self._option = value
            if value is not None:
                if self._select[2] is None:
                    self._select[2] = value
                if "selected" in attrs:
                    self._select[3].append(value)
        elif tag == "textarea" and name and "disabled" not in attrs:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if not self.in_form:
            return
        if tag == "form":
            self.in_form = False
            self.forms.append(self.data)
        elif tag == "select" and self._select is not None:
            name, multiple, first, chosen = self._select
            if multiple:  # every selected option, or nothing at all
                self.data.extend((name, value) for value in chosen)
            elif chosen or first is not None:  # the last selected, else the first option
                self.data.append((name, chosen[-1] if chosen else first))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            # A browser drops the one newline that follows <textarea>.
            self.data.append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None


def form_fields(html: str, containing: str) -> dict:
    """The fields the ``<form>`` of ``html`` that has a field named ``containing`` would post,
    as ``{name: value}``, or ``{name: [values]}`` for a name posted more than once (a multiple
    select, a group of checkboxes)."""
    parser = _FormParser()
    parser.feed(html)
    for data in parser.forms:
        if any(name == containing for name, _value in data):
            fields = {}
            for name, value in data:
                if name in fields:
                    previous = fields[name]
                    fields[name] = (
                        [*previous, value]
                        if isinstance(previous, list)
                        else [
                            previous,
                            value,
                        ]
                    )
                else:
                    fields[name] = value
            return fields
    raise AssertionError(f"no form with a field {containing!r} on the page")


def browser_post(client, url, containing: str, changes=None, *, drop=()):
    """GET ``url``, then post the form holding ``containing`` back as the page rendered it,
    with ``changes`` applied (and the names in ``drop`` left out, as an unticked box is)."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    data = form_fields(page.content.decode(), containing)
    for name in drop:
        data.pop(name, None)
    data.update(changes or {})
    return client.post(url, data)
