from django.http import HttpResponse


def security_centre(request):
    return HttpResponse("安全中心：开发中")
