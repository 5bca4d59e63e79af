package dev.brun.quality;

/** Prints what the checks say about every fixture: for labelling and for reading the reasons. */
public final class FixtureDump {
    public static void main(String[] args) {
        var checker = ConversationChecker.standard();
        var pack = TestPack.financialPlanning();
        for (var f : Fixtures.all()) {
            if (args.length > 0 && !f.conversation().id().startsWith(args[0])) continue;
            var flags = checker.check(f.conversation(), pack);
            System.out.println(f.conversation().id() + " labels=" + f.labels());
            flags.forEach(fl -> System.out.println("   " + fl.code() + " @" + fl.turnIndex() + " " + fl.reason()));
        }
    }
}
