"""The pre-screen (사전문진): the form, growth stage, routing and stored intakes."""
