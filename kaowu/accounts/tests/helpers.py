import re


def captcha_key(html: str, name: str = "captcha") -> str:
    match = re.search(rf'name="{name}_0" value="([^"]+)"', html)
    assert match, "no captcha on the page"
    return match.group(1)
