"""What the viewer may do from a record page in other parts of the portal, for its links.

A record page offers a link (such as "Ask for a refill") only to a viewer who may use that part
of the patient's account; the page it leads to checks again, as every page does.
"""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def may_use(context: dict[str, Any], scope: str) -> bool:
    """Whether the viewer may use this part of the patient's account (a proxy scope, such as
    "messaging"): a patient may use all of their own, a proxy what their grant gives today."""
    acting = getattr(context.get("request"), "acting", None)
    return bool(acting is not None and acting.may(scope))
