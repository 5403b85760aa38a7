"""The web portal: the pages through which the public, CSOs, departments, evaluators and operators use the platform.

It owns no business data. Every page calls the three services' HTTP APIs with the signed-in person's token (a
backend-for-frontend); its only state is the person's encrypted session cookie.
"""
