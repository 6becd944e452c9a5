from django.http import HttpResponse


def password_reset_start(request):
    return HttpResponse("找回密码：开发中")
