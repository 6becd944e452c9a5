def test_home_page_shows_the_province_platform(client, gansu):
    response = client.get("/")
    assert response.status_code == 200
    assert "甘肃省国家教育考试综合管理平台" in response.content.decode()


def test_register_page_lists_real_districts(client, gansu):
    page = client.get("/accounts/register/").content.decode()
    assert "城关区" in page and "嘉峪关市" in page
