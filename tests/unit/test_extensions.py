from townmarket import extensions


def test_hooks_run_in_order_and_temporary_ones_go_away():
    def late(*args):
        return ["late"]

    def early(*args):
        return ["early"]

    with extensions.register_temporarily("test_hook", late, order=10):
        with extensions.register_temporarily("test_hook", early, order=-10):
            assert [fn() for fn in extensions.get_hooks("test_hook")] == [["early"], ["late"]]
        assert extensions.get_hooks("test_hook") == [late]
    assert extensions.get_hooks("test_hook") == []


def test_the_core_offers_click_and_collect_and_pay_at_pickup_through_its_own_hooks():
    codes = [fn.__name__ for fn in extensions.get_hooks(extensions.FULFILMENT_OPTIONS)]
    assert "click_and_collect" in codes
    assert "pay_at_pickup" in [fn.__name__ for fn in extensions.get_hooks(extensions.PAYMENT_METHODS)]
