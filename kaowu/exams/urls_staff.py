from django.urls import path, re_path

from . import views_staff

app_name = "exams_staff"
urlpatterns = [
    path("", views_staff.arrangement, name="arrangement"),
    path("start/", views_staff.arrangement_start, name="arrangement_start"),
    path("runs/<int:pk>/status/", views_staff.run_status, name="run_status"),
    path("rooms/<int:pk>/sessions/<int:session_pk>/", views_staff.room_list, name="room_list"),
    re_path(r"^rooms/(?P<pk>[0-9]+)/sessions/(?P<session_pk>[0-9]+)/(?P<kind>list|door)\.pdf$", views_staff.room_pdf,
            name="room_pdf"),
    re_path(r"^sessions/(?P<session_pk>[0-9]+)/(?P<kind>list|door)\.pdf$", views_staff.session_pdf,
            name="session_pdf"),
    path("sites/", views_staff.site_list, name="site_list"),
    path("sites/add/", views_staff.site_edit, name="site_add"),
    path("sites/<int:pk>/", views_staff.site_detail, name="site_detail"),
    path("sites/<int:pk>/edit/", views_staff.site_edit, name="site_edit"),
    path("sites/<int:site_pk>/rooms/add/", views_staff.room_edit, name="room_add"),
    path("rooms/<int:pk>/edit/", views_staff.room_edit, name="room_edit"),
]
