from django.http import HttpResponse


def staff_login(request):
    return HttpResponse("管理端登录：开发中")


def staff_home(request):
    return HttpResponse("管理端：开发中")
