from eloan import create_app

app = create_app()
