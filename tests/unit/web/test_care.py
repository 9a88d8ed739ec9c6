"""关怀版's switch comes back only to a path of this site (renderer/web/care.py)."""
from __future__ import annotations

import pytest

from renderer.web.security import same_site_path as safe_back

OTHER_SITES = ["https://evil.example/", "http:/evil.example", "//evil.example", "//evil.example/j/adult",
               "/\\evil.example", "\\\\evil.example", "\\/evil.example", "/\t/evil.example", "/\n/evil.example",
               "/\r\n//evil.example", "/ /evil.example", "javascript:alert(1)", "evil.example", "", "/" + "a" * 3000]


@pytest.mark.parametrize("back", OTHER_SITES)
def test_another_site_or_a_scheme_goes_home(back: str) -> None:
    assert safe_back(back) == "/"


@pytest.mark.parametrize("back", [None, 1, ["/j/adult"]])
def test_anything_but_text_goes_home(back: object) -> None:
    assert safe_back(back) == "/"


@pytest.mark.parametrize("back", ["/", "/login", "/j/adult/details", "/j/adult/details?flash=Ab_9-x",
                                  "/j/adult/details?edit=1", "/j/adult/face/verify"])
def test_a_path_of_this_site_is_kept(back: str) -> None:
    assert safe_back(back) == back
